package io.tickwire.auth.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.tickwire.auth.AuthResult;
import io.tickwire.testkit.ManualClock;
import io.tickwire.testkit.OidcProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The validator against a real OpenID Connect provider on loopback, its key set served through a
 * counting relay: what a flood of tokens costs the provider.
 */
class AccessTokenValidatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(System.currentTimeMillis()));
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicInteger keySetFetches = new AtomicInteger();
    /** The relay answers 503, as a provider that is down. */
    private volatile boolean providerDown;
    private OidcProvider provider;
    private HttpServer relay;

    @BeforeEach
    void start() throws IOException {
        provider = OidcProvider.start();
        URI metadata = URI.create(provider.issuer("corp") + "/.well-known/openid-configuration");
        URI jwks = URI.create(JSON.readTree(get(metadata)).get("jwks_uri").asText());
        relay = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        relay.createContext("/jwks", exchange -> {
            keySetFetches.incrementAndGet();
            if (providerDown) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            byte[] body = get(jwks).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        relay.start();
    }

    @AfterEach
    void stop() {
        relay.stop(0);
        provider.close();
    }

    private String get(URI uri) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private AccessTokenValidator validator() {
        return new AccessTokenValidator(settings(), clock);
    }

    private OidcSettings settings() {
        URI jwks = URI.create("http://127.0.0.1:" + relay.getAddress().getPort() + "/jwks");
        return new OidcSettings(provider.issuer("corp"), "tickwire", jwks, "sub", Duration.ofDays(30),
                Duration.ofSeconds(30), null);
    }

    @Test
    void whileTheProviderIsDownTheLastKeySetFetchedKeepsValidatingItsTokens() throws JOSEException {
        AccessTokenValidator validator = new AccessTokenValidator(settings(), clock, false); // fetches every time
        String token = provider.clientCredentialsToken("corp", "alice-client", "tickwire");
        assertThat(validator.validate(token)).isInstanceOf(AccessTokenValidator.Validation.Valid.class);
        providerDown = true;
        int before = keySetFetches.get();
        assertThat(validator.validate(token)).as("the key set fetched before the outage")
                .isInstanceOf(AccessTokenValidator.Validation.Valid.class);
        assertThat(keySetFetches.get()).as("the provider was asked, and failed").isGreaterThan(before);
        assertThat(validator.validate(withUnknownKid(new RSAKeyGenerator(2048).generate(), "new-key")))
                .isInstanceOf(AccessTokenValidator.Validation.Invalid.class);

        AccessTokenValidator neverFetched = new AccessTokenValidator(settings(), clock, false);
        assertThat(neverFetched.validate(token)).as("nothing to fall back on")
                .isInstanceOf(AccessTokenValidator.Validation.Unavailable.class);
    }

    /** A token like the provider's, signed by a key it never published (a kid it does not know). */
    private String withUnknownKid(RSAKey key, String kid) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder().issuer(provider.issuer("corp").toString()).audience("tickwire")
                        .subject("alice-client").expirationTime(new Date(clock.epochMillis() + 300_000)).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void tokensWithUnknownKeyIdsAreUnknownKeysAndFetchTheKeySetNoMoreThanTheRateLimitAllows() throws JOSEException {
        AccessTokenValidator validator = validator();
        RSAKey attacker = new RSAKeyGenerator(2048).generate();
        for (int i = 0; i < 60; i++) {
            assertThat(validator.validate(withUnknownKid(attacker, "rotated-" + i))).as("token %d", i)
                    .isEqualTo(new AccessTokenValidator.Validation.Invalid(AuthResult.Reason.JWT_UNKNOWN_KEY,
                            "the access token is not signed by a key of the provider"));
        }
        // the first fetch, then one refresh for an unknown kid; nimbus allows two per 30 s
        assertThat(keySetFetches.get()).isLessThanOrEqualTo(2);
        int before = keySetFetches.get();
        assertThat(validator.validate(provider.clientCredentialsToken("corp", "alice-client", "tickwire")))
                .as("the key set survived the flood").isInstanceOf(AccessTokenValidator.Validation.Valid.class);
        assertThat(keySetFetches.get()).as("a known key comes from the cache").isEqualTo(before);
    }
}
