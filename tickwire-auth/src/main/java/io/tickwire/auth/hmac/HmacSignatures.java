package io.tickwire.auth.hmac;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TickTrader's login signature: {@code Base64(HMAC-SHA256(timestamp + id + key, secret))}, the
 * message and the secret taken as UTF-8 text (as CryptoJS does with strings). Stateless.
 */
public final class HmacSignatures {

    private HmacSignatures() {
    }

    /** The signature a client sends for a login at {@code timestampMillis}. */
    public static String sign(String timestampMillis, String webApiId, String webApiKey, byte[] secret) {
        return Base64.getEncoder().encodeToString(mac(timestampMillis, webApiId, webApiKey, secret));
    }

    /** {@link #sign(String, String, String, byte[])} with a text secret. */
    public static String sign(long timestampMillis, String webApiId, String webApiKey, String secret) {
        return sign(Long.toString(timestampMillis), webApiId, webApiKey, secret.getBytes(StandardCharsets.UTF_8));
    }

    /** The raw HMAC bytes. */
    static byte[] mac(String timestamp, String webApiId, String webApiKey, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.length == 0 ? new byte[1] : secret, "HmacSHA256"));
            return mac.doFinal((timestamp + webApiId + webApiKey).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }
}
