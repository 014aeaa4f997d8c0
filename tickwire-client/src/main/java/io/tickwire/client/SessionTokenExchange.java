package io.tickwire.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The client side of the enterprise OAuth2 exchange: takes an access token from the user's
 * supplier (off the I/O thread) and POSTs {@code {"access_token":…}} to the exchange endpoint for a
 * session token. A 401 is a {@link ServerErrorException} with the server's code (retrying will not
 * help); anything else that fails is a {@link ConnectionException} (retry later).
 *
 * <p>Thread-safe. Owns one daemon thread for the supplier and the HTTP call.
 */
final class SessionTokenExchange implements AutoCloseable {

    /** A session token and when it expires (epoch microseconds; {@code Long.MAX_VALUE} if not said). */
    record SessionToken(String token, long expiresAtMicros) {
        @Override
        public String toString() {
            return "SessionToken[<redacted>, " + expiresAtMicros + "]";
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    private final OAuth2Credentials credentials;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tickwire-client-oauth2");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient http;

    SessionTokenExchange(OAuth2Credentials credentials, Duration timeout) {
        this.credentials = credentials;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).executor(executor).build();
    }

    /** Exchanges a fresh access token for a session token. */
    CompletableFuture<SessionToken> exchange(Duration timeout) {
        return CompletableFuture.supplyAsync(() -> credentials.accessTokens().get(), executor)
                .thenCompose(accessToken -> http.sendAsync(HttpRequest.newBuilder(credentials.exchangeUri())
                        .timeout(timeout).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body(accessToken))).build(), HttpResponse.BodyHandlers.ofString()))
                .thenApply(SessionTokenExchange::parse);
    }

    private static String body(String accessToken) {
        if (accessToken == null || accessToken.isBlank()) {
            throw new IllegalStateException("the access-token supplier gave no token");
        }
        return "{\"access_token\":\"" + accessToken.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private static SessionToken parse(HttpResponse<String> response) {
        String token = null;
        String error = null;
        String message = null;
        long expires = Long.MAX_VALUE;
        try (JsonParser p = JSON.createParser(response.body())) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "authenticationToken" -> token = p.getValueAsString();
                        case "expiresAt" -> expires = value == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : expires;
                        case "error" -> error = p.getValueAsString();
                        case "message" -> message = p.getValueAsString();
                        default -> p.skipChildren();
                    }
                }
            }
        } catch (IOException e) {
            throw new ConnectionException(ConnectionEvent.ABNORMAL_CLOSURE, "the OAuth2 exchange answered "
                    + response.statusCode() + " with a body that is not JSON");
        }
        if (response.statusCode() == 200 && token != null) {
            return new SessionToken(token, expires);
        }
        if (response.statusCode() == 401 || response.statusCode() == 400) {
            throw new ServerErrorException(error == null ? "auth_failed" : error,
                    message == null ? "the OAuth2 exchange refused the access token" : message, -1, -1);
        }
        throw new ConnectionException(ConnectionEvent.ABNORMAL_CLOSURE, "the OAuth2 exchange answered "
                + response.statusCode() + (error == null ? "" : " " + error));
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
