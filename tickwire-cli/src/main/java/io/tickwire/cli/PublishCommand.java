package io.tickwire.cli;

import io.tickwire.cli.config.DurationText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tickwire publish}: sends trades and quotes into a server, from JSON lines (a file, or a
 * feed piped in), through its publisher endpoint ({@code /v1/publish}, docs/protocol.md).
 *
 * <p>Each line is one frame, sent as it is, in order. With several {@code --url}s (the candidates of
 * a cluster with failover), a node that does not take publishers now (a standby) or goes away is
 * left for the next, round and round with a backoff, until one takes the publisher; the first line
 * not yet written goes there. A line written just before a node was lost may be lost with it: the
 * server does not acknowledge events. Refusals every node would give (a wrong credential, an
 * account not allowed to publish) end the command.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Send your own trades and quotes into a server, one JSON event (or array of them) per line.",
                "Each line is one frame of the publisher protocol (docs/protocol.md, 'Publishing events').",
                "Examples:",
                "  echo '{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"67000.5\",\"size\":\"0.01\",\"side\":\"buy\"}'"
                        + " | ./tickwire publish",
                "  ./tickwire publish events.jsonl --url ws://a:8080/v1/publish --url ws://b:8084/v1/publish"})
final class PublishCommand implements Callable<Integer> {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 5_000;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE",
            description = "JSON lines to send; blank lines and lines starting with # are skipped (default: standard input).")
    Path file;

    @Option(names = "--url", paramLabel = "URL", defaultValue = "ws://127.0.0.1:8080/v1/publish",
            description = "Publish endpoint. Repeat it for the candidates of a cluster with failover: one that does not"
                    + " take publishers (a standby) or goes away is left for the next (default: ${DEFAULT-VALUE}).")
    List<URI> urls;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "API token of an account in server.publishers (default: $TICKWIRE_TOKEN, else the demo token).")
    String token;

    @Option(names = "--give-up-after", paramLabel = "DURATION", defaultValue = "60s",
            description = "How long to look for a node that takes the publisher before failing (default: ${DEFAULT-VALUE}).")
    String giveUpAfter;

    /** Where lines come from without a FILE; tests replace it. */
    InputStream in = System.in;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Duration patience = DurationText.parse(giveUpAfter);
        String credential = token != null ? token
                : System.getenv("TICKWIRE_TOKEN") != null ? System.getenv("TICKWIRE_TOKEN") : DemoCommand.DEMO_TOKEN;
        HttpClient http = HttpClient.newHttpClient();
        long sent = 0;
        int refused = 0;
        int candidate = 0;
        PublishLink link = null;
        Map<URI, String> saidOf = new HashMap<>(); // why each node did not take the publisher, as last printed
        String pending = null; // read, not yet written to a node that took the publisher
        try (BufferedReader lines = new BufferedReader(file == null
                ? new InputStreamReader(in, StandardCharsets.UTF_8) : Files.newBufferedReader(file))) {
            while (true) {
                if (pending == null) {
                    pending = nextLine(lines);
                    if (pending == null) {
                        break;
                    }
                }
                if (link == null) {
                    long deadline = System.nanoTime() + patience.toNanos();
                    long backoffMs = FIRST_BACKOFF_MS;
                    while (link == null) {
                        for (int tried = 0; tried < urls.size() && link == null; tried++) {
                            URI url = urls.get(candidate);
                            candidate = (candidate + 1) % urls.size();
                            PublishLink.Attempt attempt = PublishLink.open(http, url, credential, err, CONNECT_TIMEOUT);
                            link = attempt.link();
                            if (link == null && !attempt.notTaken().equals(saidOf.put(url, attempt.notTaken()))) {
                                err.println(url + ": " + attempt.notTaken()); // each reason once, not every retry
                            }
                        }
                        if (link == null) {
                            if (System.nanoTime() - deadline > 0) {
                                err.println("no node took the publisher within " + giveUpAfter + "; " + sent
                                        + " line(s) sent");
                                return 1;
                            }
                            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(backoffMs)); // retry backoff
                            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
                        }
                    }
                    err.println("publishing to " + link.uri());
                    saidOf.clear();
                }
                if (link.send(pending)) {
                    sent++;
                    pending = null;
                } else {
                    err.println(link.uri() + ": connection closed (" + link.closedBecause() + "): looking for a node"
                            + " that takes the publisher");
                    refused += link.refusedFrames();
                    link = null;
                }
            }
        } catch (PublishLink.Refused e) {
            err.println(e.getMessage());
            return 1;
        }
        boolean closedCleanly = link == null || link.finish(Duration.ofSeconds(30));
        if (link != null) {
            refused += link.refusedFrames();
        }
        err.println(sent + " line(s) sent, " + refused + " refused by the server"
                + (closedCleanly ? "" : "; the last connection did not close cleanly: lines at its end may be lost"));
        return refused == 0 && closedCleanly ? 0 : 1;
    }

    /** The next line that is a frame, or {@code null} at the end. */
    private static String nextLine(BufferedReader lines) throws IOException {
        String line;
        while ((line = lines.readLine()) != null) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                return trimmed;
            }
        }
        return null;
    }
}
