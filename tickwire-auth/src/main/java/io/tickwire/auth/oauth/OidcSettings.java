package io.tickwire.auth.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The OpenID Connect provider whose access tokens may be exchanged for Tickwire session tokens.
 * Immutable.
 *
 * @param issuer          the provider's issuer URL; the token's {@code iss} must equal it
 * @param audience        the token's {@code aud} must contain it
 * @param jwksUri         where the provider's signing keys are, or {@code null} to discover it from
 *                        {@code issuer + /.well-known/openid-configuration}
 * @param subjectClaim    the claim that names the client (mapped to an account), e.g. {@code sub}
 * @param sessionLifetime how long an issued session token is valid
 * @param leeway          clock skew tolerated on {@code exp} and {@code nbf}
 * @param httpTimeout     limit on each call to the provider
 */
public record OidcSettings(URI issuer, String audience, URI jwksUri, String subjectClaim, Duration sessionLifetime,
                           Duration leeway, Duration httpTimeout) {
    public OidcSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        subjectClaim = subjectClaim == null || subjectClaim.isBlank() ? "sub" : subjectClaim;
        Objects.requireNonNull(sessionLifetime, "sessionLifetime");
        leeway = leeway == null ? Duration.ofMinutes(1) : leeway;
        httpTimeout = httpTimeout == null ? Duration.ofSeconds(5) : httpTimeout;
    }
}
