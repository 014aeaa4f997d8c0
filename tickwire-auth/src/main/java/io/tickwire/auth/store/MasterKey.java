package io.tickwire.auth.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that encrypts stored secrets (HMAC secrets, TOTP seeds) with AES-256-GCM. It comes from
 * the environment ({@value #ENVIRONMENT_VARIABLE}: 32 bytes in Base64), never from a file Tickwire
 * writes. Each ciphertext is bound to its place (account and key id) as associated data, so it
 * cannot be copied to another account. Immutable and thread-safe; {@code toString} shows nothing.
 *
 * <p>Stored form: {@code enc:v1:} + Base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag).
 */
public final class MasterKey {

    /** The environment variable holding the key. */
    public static final String ENVIRONMENT_VARIABLE = "TICKWIRE_MASTER_KEY";
    private static final String PREFIX = "enc:v1:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private MasterKey(byte[] bytes) {
        this.key = new SecretKeySpec(bytes, "AES");
    }

    /**
     * Parses a key: 32 bytes in Base64.
     *
     * @throws IllegalArgumentException if it is not
     */
    public static MasterKey parse(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " must be 32 bytes in Base64 (e.g. from 'tickwire keys master-key')");
        }
        if (bytes.length != 32) {
            throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + " must be 32 bytes in Base64, was " + bytes.length + " bytes");
        }
        return new MasterKey(bytes);
    }

    /** The key from {@value #ENVIRONMENT_VARIABLE} in the environment, if set. */
    public static Optional<MasterKey> fromEnvironment(Map<String, String> env) {
        String value = env.get(ENVIRONMENT_VARIABLE);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(parse(value));
    }

    /** A new random key in its Base64 form. */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Whether a stored value is in the encrypted form. */
    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    /** Encrypts a secret bound to {@code context} (e.g. {@code hmac:alice:<id>}). */
    public String encrypt(byte[] secret, String context) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret);
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required by every JDK", e);
        }
    }

    /**
     * Decrypts a stored secret.
     *
     * @throws IllegalArgumentException if it is not in the encrypted form, was encrypted with another
     *                                  key or for another context, or was tampered with
     */
    public byte[] decrypt(String stored, String context) {
        if (!isEncrypted(stored)) {
            throw new IllegalArgumentException("not an encrypted value (expected '" + PREFIX + "…')");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            if (all.length < 12 + 16) {
                throw new IllegalArgumentException("encrypted value too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, 12));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(all, 12, all.length - 12);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot decrypt (" + context + "): wrong " + ENVIRONMENT_VARIABLE
                    + " or a tampered value");
        }
    }

    @Override
    public String toString() {
        return "MasterKey[<redacted>]";
    }
}
