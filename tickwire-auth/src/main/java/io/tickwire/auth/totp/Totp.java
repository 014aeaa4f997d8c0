package io.tickwire.auth.totp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238): HMAC-SHA1, 6 digits, 30-second steps, as Google
 * Authenticator and its kin produce them. Seeds are exchanged in Base32 (RFC 4648). Stateless.
 */
public final class Totp {

    /** Seconds per step. */
    public static final long STEP_SECONDS = 30;
    private static final int DIGITS = 6;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {
    }

    /** The step a time falls in. */
    public static long step(long epochMillis) {
        return Math.floorDiv(epochMillis, STEP_SECONDS * 1_000);
    }

    /** The code of a step. */
    public static String code(byte[] seed, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(seed, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = h[h.length - 1] & 0x0f;
            int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16) | ((h[offset + 2] & 0xff) << 8)
                    | (h[offset + 3] & 0xff);
            return String.format(Locale.ROOT, "%06d", binary % 1_000_000);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is required by every JDK", e);
        }
    }

    /** The code at a time. */
    public static String codeAt(byte[] seed, long epochMillis) {
        return code(seed, step(epochMillis));
    }

    /**
     * The step within ±{@code tolerance} steps of {@code epochMillis} whose code is {@code code}
     * (every candidate compared in constant time), or -1.
     */
    public static long matchingStep(byte[] seed, String code, long epochMillis, int tolerance) {
        if (code == null || code.length() != DIGITS) {
            return -1;
        }
        byte[] given = code.getBytes(StandardCharsets.US_ASCII);
        long now = step(epochMillis);
        long found = -1;
        for (long s = now - tolerance; s <= now + tolerance; s++) {
            if (MessageDigest.isEqual(code(seed, s).getBytes(StandardCharsets.US_ASCII), given) && found < 0) {
                found = s;
            }
        }
        return found;
    }

    /** A new random 160-bit seed. */
    public static byte[] newSeed() {
        byte[] seed = new byte[20];
        RANDOM.nextBytes(seed);
        return seed;
    }

    /** A seed in Base32, as authenticator apps take it. */
    public static String base32(byte[] seed) {
        StringBuilder sb = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : seed) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                sb.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            sb.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return sb.toString();
    }

    /** Decodes Base32 (case-insensitive, padding and spaces ignored). */
    public static byte[] fromBase32(String text) {
        String s = text.replace("=", "").replace(" ", "").toUpperCase(Locale.ROOT);
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (char c : s.toCharArray()) {
            int v = BASE32.indexOf(c);
            if (v < 0) {
                throw new IllegalArgumentException("not Base32: '" + c + "'");
            }
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buffer >> (bits - 8)));
                bits -= 8;
            }
        }
        return out.array();
    }

    /** The {@code otpauth://} URI an authenticator app scans. */
    public static String uri(String issuer, String account, byte[] seed) {
        return "otpauth://totp/" + issuer + ":" + account + "?secret=" + base32(seed) + "&issuer=" + issuer
                + "&algorithm=SHA1&digits=6&period=30";
    }
}
