package io.tickwire.client;

import java.net.URI;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How the client proves who it is: an API token, a TickTrader-style HMAC key, a JWT signing key
 * (Coinbase style), or an OAuth2 access-token supplier exchanged for a session token (the
 * enterprise flow) — each optionally with a second factor ({@link #withTotp}). Short-lived
 * credentials are made fresh for every connection (and every subscribe, for JWTs) and renewed in
 * the session before they expire, so a long-running client never drops for an expired credential.
 *
 * <p>Immutable and thread-safe. A credential's {@code toString()} never shows the secret, so it is
 * safe to log.
 */
public sealed interface Credentials permits TokenCredentials, HmacCredentials, JwtCredentials, OAuth2Credentials,
        TwoFactorCredentials {

    /**
     * An API token, as issued by {@code tickwire keys}. The client sends it in an {@code auth}
     * message after the server's welcome (never in the URL, so it stays out of access logs).
     *
     * @throws IllegalArgumentException if the token is blank
     */
    static Credentials token(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        return new TokenCredentials(token);
    }

    /**
     * A TickTrader-style HMAC key ({@code tickwire keys create --scheme hmac}): every login is
     * signed with a fresh millisecond timestamp as {@code Base64(HMAC-SHA256(timestamp + id + key, secret))}.
     */
    static Credentials hmac(String webApiId, String webApiKey, String secret) {
        Objects.requireNonNull(webApiId, "webApiId");
        Objects.requireNonNull(webApiKey, "webApiKey");
        Objects.requireNonNull(secret, "secret");
        return new HmacCredentials(webApiId, webApiKey, secret);
    }

    /**
     * A JWT signing key registered under {@code keyName} ({@code tickwire keys create --scheme jwt}):
     * EC P-256 (ES256) or Ed25519 (EdDSA). A fresh two-minute JWT is signed for every connection,
     * every subscribe and every renewal.
     *
     * @throws IllegalArgumentException if the key is neither
     */
    static Credentials jwt(String keyName, PrivateKey privateKey) {
        Objects.requireNonNull(keyName, "keyName");
        Objects.requireNonNull(privateKey, "privateKey");
        if (!(privateKey instanceof ECPrivateKey) && !(privateKey instanceof EdECPrivateKey)) {
            throw new IllegalArgumentException("the key must be EC P-256 (ES256) or Ed25519 (EdDSA)");
        }
        return new JwtCredentials(keyName, privateKey);
    }

    /** {@link #jwt(String, PrivateKey)} with the private key as PKCS#8 PEM, as {@code tickwire keys} writes it. */
    static Credentials jwt(String keyName, String privateKeyPem) {
        byte[] der = Base64.getDecoder().decode(privateKeyPem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "").replaceAll("\\s", ""));
        for (String type : new String[] {"EC", "Ed25519"}) {
            try {
                return jwt(keyName, KeyFactory.getInstance(type).generatePrivate(new PKCS8EncodedKeySpec(der)));
            } catch (java.security.GeneralSecurityException e) {
                // try the next
            }
        }
        throw new IllegalArgumentException("not an EC or Ed25519 private key in PKCS#8 PEM");
    }

    /**
     * The enterprise OAuth2 flow: {@code accessTokens} supplies an access token from the identity
     * provider (client credentials; it may block, and is called off the I/O thread), which the
     * client POSTs to {@code exchangeUri} (e.g. {@code https://host/.auth/login/aad}) for a session
     * token, then sends in the {@code X-ZUMO-AUTH} header. The session token is reused across
     * reconnects and exchanged again when it expires or is refused.
     */
    static Credentials oauth2(URI exchangeUri, Supplier<String> accessTokens) {
        Objects.requireNonNull(exchangeUri, "exchangeUri");
        Objects.requireNonNull(accessTokens, "accessTokens");
        return new OAuth2Credentials(exchangeUri, accessTokens, "X-ZUMO-AUTH");
    }

    /**
     * These credentials with a second factor: when the server asks for one, {@code oneTimePasswords}
     * supplies the current TOTP code (from an authenticator library or a prompt). After a code is
     * accepted, reconnects resume the verified second factor until it expires, without a new code.
     */
    default Credentials withTotp(Supplier<String> oneTimePasswords) {
        Objects.requireNonNull(oneTimePasswords, "oneTimePasswords");
        if (this instanceof TwoFactorCredentials) {
            throw new IllegalStateException("already has a second factor");
        }
        return new TwoFactorCredentials(this, oneTimePasswords);
    }
}
