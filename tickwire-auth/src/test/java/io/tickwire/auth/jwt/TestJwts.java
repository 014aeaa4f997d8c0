package io.tickwire.auth.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Mints JWTs with the JDK alone (no nimbus), so the tests check interoperability, not nimbus with itself. */
final class TestJwts {

    private TestJwts() {
    }

    static String mint(String alg, String kid, String claimsJson, PrivateKey key) {
        String header = "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"typ\":\"JWT\",\"nonce\":\"n1\"}";
        String input = b64(header) + "." + b64(claimsJson);
        try {
            Signature s = Signature.getInstance(alg.equals("ES256") ? "SHA256withECDSAinP1363Format" : "Ed25519");
            s.initSign(key);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unsigned(String kid, String claimsJson) {
        return b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}") + "." + b64(claimsJson) + ".";
    }

    /** HS256 with the public key's bytes as the secret: the classic algorithm-confusion attack. */
    static String hmacWithPublicKey(String kid, String claimsJson, byte[] publicKeyBytes) {
        String input = b64("{\"alg\":\"HS256\",\"kid\":\"" + kid + "\"}") + "." + b64(claimsJson);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(publicKeyBytes, "HmacSHA256"));
            return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String withAlg(String alg, String kid, String claimsJson) {
        return b64("{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}") + "." + b64(claimsJson) + ".c2ln";
    }

    static String claims(String kid, long nbfSeconds, long expSeconds) {
        return "{\"iss\":\"cdp\",\"sub\":\"" + kid + "\",\"nbf\":" + nbfSeconds + ",\"exp\":" + expSeconds + "}";
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
