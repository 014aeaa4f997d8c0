package io.tickwire.client;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Signs Coinbase-style WebSocket JWTs with the JDK alone (the SDK pulls in no JWT library):
 * {@code kid} and {@code sub} are the key name, valid two minutes from five seconds ago (so a
 * server clock slightly behind still accepts it), a random {@code nonce}, no request method or path.
 * Stateless and thread-safe.
 */
final class JwtSigner {

    /** The lifetime of a minted JWT, the most Tickwire (and Coinbase) accept. */
    static final long LIFETIME_SECONDS = 120;
    private static final long BACKDATE_SECONDS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    private JwtSigner() {
    }

    static String mint(JwtCredentials key, long nowMillis) {
        boolean ec = key.privateKey() instanceof ECPrivateKey;
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        long nbf = nowMillis / 1_000 - BACKDATE_SECONDS;
        String header = "{\"alg\":\"" + (ec ? "ES256" : "EdDSA") + "\",\"kid\":" + quote(key.keyName())
                + ",\"typ\":\"JWT\",\"nonce\":\"" + HexFormat.of().formatHex(nonce) + "\"}";
        String claims = "{\"iss\":\"tickwire-java\",\"sub\":" + quote(key.keyName()) + ",\"nbf\":" + nbf + ",\"exp\":"
                + (nbf + LIFETIME_SECONDS) + "}";
        String input = b64(header) + "." + b64(claims);
        try {
            Signature signature = Signature.getInstance(ec ? "SHA256withECDSAinP1363Format" : "Ed25519");
            signature.initSign(key.privateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a JWT with this key: " + e.getMessage(), e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
