package io.tickwire.auth.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How API tokens are stored: as {@code sha256:<64 hex digits>}, never in clear.
 *
 * <p>Tokens are long random strings, so a plain SHA-256 (no salt, no stretching) is enough: there
 * is nothing to guess. Stateless and thread-safe.
 */
public final class TokenHash {

    /** The prefix of a stored hash. */
    public static final String PREFIX = "sha256:";

    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenHash() {
    }

    /** The stored form of a token. */
    public static String of(String token) {
        return PREFIX + HexFormat.of().formatHex(digest(token));
    }

    /**
     * The id of a stored token, for listing and revoking it: {@code tok-} and the first 12 hex
     * digits of its hash (they reveal nothing usable about the token).
     */
    public static String id(byte[] digest) {
        return "tok-" + HexFormat.of().formatHex(digest, 0, 6);
    }

    /** The id of a stored hash ({@code sha256:…}). */
    public static String idOfStored(String stored) {
        return id(parse(stored));
    }

    /** The raw 32-byte digest of a token. */
    public static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }

    /**
     * Parses a stored hash into its digest.
     *
     * @throws IllegalArgumentException if it is not {@code sha256:} followed by 64 hex digits
     */
    public static byte[] parse(String stored) {
        String s = stored == null ? "" : stored.trim().toLowerCase(Locale.ROOT);
        if (!s.startsWith(PREFIX) || s.length() != PREFIX.length() + 64) {
            throw new IllegalArgumentException("a token hash must be 'sha256:' followed by 64 hex digits");
        }
        return HexFormat.of().parseHex(s, PREFIX.length(), s.length());
    }

    /** A new random token: {@code tw_} and 40 characters of URL-safe base32-like text (200 bits). */
    public static String newToken() {
        final String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder("tw_");
        for (int i = 0; i < 40; i++) {
            sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
