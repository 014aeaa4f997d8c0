package io.tickwire.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** TickTrader's login signature, {@code Base64(HMAC-SHA256(timestamp + id + key, secret))}. Stateless. */
final class HmacSigner {

    private HmacSigner() {
    }

    static String sign(long timestampMillis, String webApiId, String webApiKey, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((timestampMillis + webApiId + webApiKey)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }
}
