package io.tickwire.auth.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.tickwire.auth.AuthResult.Reason;
import io.tickwire.model.Clock;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * Validates OAuth2 access tokens issued by the configured OpenID Connect provider: signed with
 * one of the provider's keys (fetched from its JWKS, discovered from its metadata, cached by
 * nimbus), an asymmetric algorithm, the configured issuer and audience, and within {@code nbf} and
 * {@code exp} by the injected clock.
 *
 * <p>A token whose {@code kid} is not in the cached key set refetches it, at most twice in 30 s
 * (nimbus' rate limit, whatever the tokens): past that such a token is an unknown key, so made-up
 * key ids cannot turn the server into a flood of requests to the provider.
 *
 * <p>An outage of the provider does not stop the exchange: when the key set cannot be fetched
 * again (the cache lives 5 minutes), the last one fetched keeps validating tokens for up to
 * {@link #OUTAGE_TOLERANCE} (nimbus' outage-tolerant source), so tokens the provider issued before
 * it went down still pass; tokens it signs with a key added meanwhile cannot be checked until it is
 * back.
 *
 * <p>Thread-safe. <b>Blocking</b>: the first call (and calls after a key rotation) fetch over
 * HTTP, each call bounded by {@link OidcSettings#httpTimeout()}; call it off I/O threads.
 */
public final class AccessTokenValidator {

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long the last key set fetched stands in for one the provider cannot serve. */
    public static final java.time.Duration OUTAGE_TOLERANCE = java.time.Duration.ofHours(1);

    /** The outcome of a validation. */
    public sealed interface Validation {
        /** A good token: the client it names and its issuer. */
        record Valid(String subject, String issuer) implements Validation {
        }

        /** A bad token; the reason maps to a stable error code. */
        record Invalid(Reason reason, String message) implements Validation {
        }

        /** The provider could not be reached or answered nonsense; the token is neither good nor bad. */
        record Unavailable(String message) implements Validation {
        }
    }

    private final OidcSettings settings;
    private final Clock clock;
    private final DefaultResourceRetriever retriever;
    private final boolean cacheKeySet;
    private volatile DefaultJWTProcessor<SecurityContext> processor;

    public AccessTokenValidator(OidcSettings settings, Clock clock) {
        this(settings, clock, true);
    }

    /** With {@code cacheKeySet} false every validation fetches the key set (tests: an outage without waiting). */
    AccessTokenValidator(OidcSettings settings, Clock clock, boolean cacheKeySet) {
        this.settings = settings;
        this.clock = clock;
        this.cacheKeySet = cacheKeySet;
        int timeout = (int) settings.httpTimeout().toMillis();
        this.retriever = new DefaultResourceRetriever(timeout, timeout, 1 << 20);
    }

    /** Validates an access token (blocking; see the class comment). */
    public Validation validate(String accessToken) {
        if (accessToken == null || accessToken.isBlank() || accessToken.length() > 16_384) {
            return new Validation.Invalid(Reason.JWT_INVALID, "access_token is missing or too long");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(accessToken);
        } catch (ParseException e) {
            return new Validation.Invalid(Reason.JWT_INVALID, "the access token is not a JWT");
        }
        if (!(parsed instanceof SignedJWT signed) || !ALGORITHMS.contains(signed.getHeader().getAlgorithm())) {
            return new Validation.Invalid(Reason.JWT_ALG_NOT_ALLOWED, "the access token must be signed with an asymmetric algorithm");
        }
        JWTClaimsSet claims;
        try {
            claims = processor().process(signed, null);
        } catch (BadJWSException e) {
            return new Validation.Invalid(Reason.JWT_INVALID, "the access token's signature does not verify");
        } catch (BadJOSEException e) {
            return new Validation.Invalid(Reason.JWT_UNKNOWN_KEY, "the access token is not signed by a key of the provider");
        } catch (RateLimitReachedException e) {
            // the key set was refetched as often as the rate limit allows and still has no such kid:
            // an unknown key (counted as a failure), not an outage. The processor stays: dropping it
            // would throw away the cached keys and the rate limit, so every token with a made-up kid
            // would make the provider serve its key set again
            return new Validation.Invalid(Reason.JWT_UNKNOWN_KEY, "the access token is not signed by a key of the provider");
        } catch (JOSEException | IOException | RuntimeException e) {
            // no key set to fall back on (never fetched, or the outage outlasted the tolerance)
            processor = null; // rediscover next time
            return new Validation.Unavailable("the OpenID Connect provider cannot be reached: " + e.getMessage());
        }
        return check(claims);
    }

    private Validation check(JWTClaimsSet claims) {
        String issuer = claims.getIssuer();
        if (issuer == null || !issuer.equals(settings.issuer().toString())) {
            return new Validation.Invalid(Reason.JWT_INVALID, "the access token is from another issuer");
        }
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(settings.audience())) {
            return new Validation.Invalid(Reason.JWT_INVALID, "the access token is not meant for this server (audience)");
        }
        long now = clock.epochMillis();
        long leeway = settings.leeway().toMillis();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            return new Validation.Invalid(Reason.JWT_INVALID, "the access token has no exp claim");
        }
        if (now >= exp.getTime() + leeway) {
            return new Validation.Invalid(Reason.JWT_EXPIRED, "the access token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now < nbf.getTime() - leeway) {
            return new Validation.Invalid(Reason.JWT_NOT_YET_VALID, "the access token is not valid yet");
        }
        Object subject = claims.getClaim(settings.subjectClaim());
        if (!(subject instanceof String s) || s.isBlank()) {
            return new Validation.Invalid(Reason.JWT_INVALID, "the access token has no '" + settings.subjectClaim() + "' claim");
        }
        return new Validation.Valid(s, issuer);
    }

    private DefaultJWTProcessor<SecurityContext> processor() throws IOException {
        DefaultJWTProcessor<SecurityContext> p = processor;
        if (p != null) {
            return p;
        }
        URI jwks = settings.jwksUri() != null ? settings.jwksUri() : discover();
        JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.<SecurityContext>create(jwks.toURL(), retriever)
                .retrying(true).outageTolerant(OUTAGE_TOLERANCE.toMillis());
        JWKSource<SecurityContext> keys = (cacheKeySet ? builder
                : builder.cache(false).refreshAheadCache(false).rateLimited(false)).build();
        p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier((type, context) -> {
            // providers differ ("JWT", "at+jwt", none): the signature, issuer and audience decide
        });
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        p.setJWTClaimsSetVerifier((claims, context) -> {
            // checked in check() with the injected clock
        });
        processor = p;
        return p;
    }

    private URI discover() throws IOException {
        String base = settings.issuer().toString();
        URL url = URI.create(base.endsWith("/") ? base + ".well-known/openid-configuration"
                : base + "/.well-known/openid-configuration").toURL();
        Resource resource = retriever.retrieveResource(url);
        JsonNode metadata = JSON.readTree(resource.getContent());
        JsonNode jwks = metadata.get("jwks_uri");
        if (jwks == null || !jwks.isTextual()) {
            throw new IOException("the provider's metadata at " + url + " has no jwks_uri");
        }
        return URI.create(jwks.asText());
    }
}
