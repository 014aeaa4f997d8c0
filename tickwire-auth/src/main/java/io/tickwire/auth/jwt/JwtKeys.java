package io.tickwire.auth.jwt;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The key pairs of the JWT scheme: ES256 (EC P-256) and EdDSA (Ed25519), their PEM forms, and the
 * algorithm a public key stands for. Stateless.
 */
public final class JwtKeys {

    /** The JWS algorithm names Tickwire accepts. */
    public static final String ES256 = "ES256";
    /** EdDSA with Ed25519. */
    public static final String EDDSA = "EdDSA";

    private JwtKeys() {
    }

    /** A new key pair for {@code ES256} or {@code EdDSA}. */
    public static KeyPair generate(String algorithm) {
        try {
            return switch (algorithm) {
                case ES256 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec("secp256r1"));
                    yield g.generateKeyPair();
                }
                case EDDSA -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                default -> throw new IllegalArgumentException("algorithm must be ES256 or EdDSA, was " + algorithm);
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC and Ed25519 are required by every JDK", e);
        }
    }

    /** The algorithm a public key signs with: {@code ES256} for P-256, {@code EdDSA} for Ed25519. */
    public static String algorithmOf(PublicKey key) {
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256
                && ec.getParams().getOrder().bitLength() == 256) {
            return ES256;
        }
        if (key instanceof EdECPublicKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
            return EDDSA;
        }
        throw new IllegalArgumentException("only EC P-256 (ES256) and Ed25519 (EdDSA) public keys are accepted");
    }

    /** A public key as PEM (X.509 SubjectPublicKeyInfo). */
    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    /** A private key as PEM (PKCS#8). */
    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    /**
     * Reads a PEM public key (EC P-256 or Ed25519).
     *
     * @throws IllegalArgumentException if it is not one
     */
    public static PublicKey publicKeyFromPem(String pem) {
        byte[] der = der(pem, "PUBLIC KEY");
        for (String type : new String[] {"EC", "Ed25519"}) {
            try {
                PublicKey key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
                algorithmOf(key);
                return key;
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // try the next type
            }
        }
        throw new IllegalArgumentException("not an EC P-256 or Ed25519 public key");
    }

    /** Reads a PEM private key (PKCS#8, EC or Ed25519). */
    public static PrivateKey privateKeyFromPem(String pem) {
        byte[] der = der(pem, "PRIVATE KEY");
        for (String type : new String[] {"EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next type
            }
        }
        throw new IllegalArgumentException("not an EC or Ed25519 private key in PKCS#8 PEM");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem, String type) {
        if (pem == null) {
            throw new IllegalArgumentException("no PEM given");
        }
        String body = pem.replace("-----BEGIN " + type + "-----", "").replace("-----END " + type + "-----", "")
                .replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed PEM " + type.toLowerCase(java.util.Locale.ROOT));
        }
    }
}
