package io.tickwire.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * A real OpenID Connect provider on 127.0.0.1 and a free port (nav's mock-oauth2-server): discovery
 * document, JWKS with rotating-free RSA keys, and a token endpoint that runs the client-credentials
 * grant. Tests get access tokens the way an enterprise client does, over HTTP. Not a stub of
 * Tickwire's validator: Tickwire talks to it as to any provider.
 *
 * <p>Modules using it declare {@code no.nav.security:mock-oauth2-server} in test scope. Thread-safe.
 */
public final class OidcProvider implements AutoCloseable {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final MockOAuth2Server server = new MockOAuth2Server();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OidcProvider() {
        try {
            server.start(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts a provider. */
    public static OidcProvider start() {
        return new OidcProvider();
    }

    /** The issuer URL of a tenant, e.g. {@code http://127.0.0.1:PORT/tenant}. */
    public URI issuer(String tenant) {
        return server.issuerUrl(tenant).uri();
    }

    /** The token endpoint of a tenant. */
    public URI tokenEndpoint(String tenant) {
        return server.tokenEndpointUrl(tenant).uri();
    }

    /**
     * Runs the client-credentials grant over HTTP, as seed 003's {@code curl} does: the token's
     * {@code sub} is the client id and its {@code aud} the scope.
     */
    public String clientCredentialsToken(String tenant, String clientId, String scope) {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=secret&scope=" + enc(scope);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenEndpoint(tenant))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = ACCESS_TOKEN.matcher(response.body());
            if (response.statusCode() != 200 || !m.find()) {
                throw new IllegalStateException("token endpoint answered " + response.statusCode() + ": " + response.body());
            }
            return m.group(1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A token signed by the tenant's key with chosen claims and lifetime (for expiry tests). */
    public String issueToken(String tenant, String subject, String audience, long expirySeconds) {
        return server.issueToken(tenant, subject, audience, Map.of(), expirySeconds).serialize();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.shutdown();
    }
}
