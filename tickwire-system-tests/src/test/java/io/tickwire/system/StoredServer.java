package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.auth.token.TokenHash;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Helpers for system tests of the history store: a configuration file for {@code tickwire serve}
 * with a store and an account, and HTTP reads of {@code /health} and the REST history API.
 */
final class StoredServer {

    static final String TOKEN = "history-system-token";
    static final Pattern SERVING = Pattern.compile("serving ws://127\\.0\\.0\\.1:(\\d+)/v1/ws");

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredServer() {
    }

    /** A configuration on a free local port, the simulator at {@code eventsPerSecond} (0: off). */
    static Path config(Path dir, String name, double eventsPerSecond, String storeExtra) throws IOException {
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, """
                server: {host: 127.0.0.1, port: 0}
                simulator: {enabled: %s, eventsPerSecond: %s, respectMarketHours: false}
                store: {commitInterval: 200ms%s}
                plans:
                  tests: {maxConnections: 10, onConnectionLimit: reject-new, maxSymbols: 100, channels: [quote, trade],
                          requestsPerSecond: 1000, requestBurst: 1000}
                accounts:
                  - {name: tests, plan: tests, tokens: ["%s"]}
                """.formatted(eventsPerSecond > 0, eventsPerSecond, storeExtra, TokenHash.of(TOKEN)));
        return file;
    }

    /** Waits for the serve banner and returns the port. */
    static int awaitPort(Distribution server) throws InterruptedException {
        Matcher m = SERVING.matcher(server.awaitLine(l -> SERVING.matcher(l).find(), Duration.ofSeconds(90)));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    static JsonNode get(int port, String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: %s", pathAndQuery, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    static JsonNode health(int port) throws IOException, InterruptedException {
        return get(port, "/health");
    }
}
