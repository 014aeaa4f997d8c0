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
 * a cluster with failover), a node that does not take publishers now (a standby), goes away or falls
 * silent is left for the next, round and round with a backoff, until one takes the publisher; the
 * first line not yet written goes there. A line written just before a node was lost may be lost with
 * it (the server does not acknowledge events): the command says how many connections ended under it
 * and exits 3. Refusals every node would give (a wrong credential, an account not allowed to publish)
 * end the command.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Send your own trades and quotes into a server, one JSON event (or array of them) per line.",
                "Each line is one frame of the publisher protocol (docs/protocol.md, 'Publishing events').",
                "Exit status: 0 every line sent and taken; 1 lines refused, or no node took the publisher;"
                        + " 3 every line sent, but a connection ended under the feed (lines written just before may be lost).",
                "Examples:",
                "  echo '{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"67000.5\",\"size\":\"0.01\",\"side\":\"buy\"}'"
                        + " | ./tickwire publish",
                "  ./tickwire publish events.jsonl --url ws://a:8080/v1/publish --url ws://b:8084/v1/publish"})
final class PublishCommand implements Callable<Integer> {

    static final int LOST_CONNECTION = 3;
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

    @Option(names = "--silence", paramLabel = "DURATION", defaultValue = "20s",
            description = "Leave a node that has answered nothing, not even a ping, for this long: paused or cut off"
                    + " (default: ${DEFAULT-VALUE}).")
    String silence;

    /** Where lines come from without a FILE; tests replace it. */
    InputStream in = System.in;

    private PrintWriter err;
    private final Map<URI, String> saidOf = new HashMap<>(); // why each node did not take the publisher, as last printed
    private int candidate;

    @Override
    public Integer call() throws IOException {
        err = spec.commandLine().getErr();
        Duration patience = DurationText.parse(giveUpAfter);
        Duration quiet = DurationText.parse(silence);
        String credential = token != null ? token
                : System.getenv("TICKWIRE_TOKEN") != null ? System.getenv("TICKWIRE_TOKEN") : DemoCommand.DEMO_TOKEN;
        long sent = 0;
        int refused = 0;
        int lost = 0; // connections that ended under the feed
        long lineNumber = 0;
        PublishLink link = null;
        long backoffMs = FIRST_BACKOFF_MS;
        String pending = null; // read, not yet written to a node that took the publisher
        try (HttpClient http = HttpClient.newHttpClient();
             BufferedReader lines = new BufferedReader(file == null
                     ? new InputStreamReader(in, StandardCharsets.UTF_8) : Files.newBufferedReader(file))) {
            try {
                while (true) {
                    if (pending == null) {
                        do {
                            pending = lines.readLine();
                            lineNumber++;
                        } while (pending != null && (pending.isBlank() || pending.strip().startsWith("#")));
                        if (pending == null) {
                            break;
                        }
                        pending = pending.strip();
                    }
                    if (link == null) {
                        link = connect(http, credential, patience, quiet, backoffMs);
                        if (link == null) {
                            err.println("no node took the publisher within " + giveUpAfter + "; " + sent + " line(s) sent");
                            return 1;
                        }
                    }
                    long bytes = pending.getBytes(StandardCharsets.UTF_8).length;
                    if (bytes > link.maxFrameBytes()) { // the server would close the connection (1009) and lose it
                        err.println("line " + lineNumber + ": " + bytes + " bytes, over the server's limit of "
                                + link.maxFrameBytes() + " (server.maxFrameBytes): not sent");
                        refused++;
                        pending = null;
                    } else if (link.send(pending)) {
                        sent++;
                        pending = null;
                        backoffMs = FIRST_BACKOFF_MS; // a node that took lines: the next search starts quickly
                    } else {
                        int code = link.awaitClosed(Duration.ofSeconds(5));
                        refused += link.refusedFrames();
                        if (!PublishLink.PASSING.contains(code)) {
                            err.println(link.uri() + ": stopped (" + link.closedBecause() + "); " + sent
                                    + " line(s) sent, the last of them may be lost");
                            return 1;
                        }
                        lost++;
                        err.println(link.uri() + ": lost (" + link.closedBecause() + "); lines written just before may"
                                + " be lost; looking for a node that takes the publisher");
                        link = null;
                        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2); // taken, then lost at once: no spin
                    }
                }
            } catch (PublishLink.Refused e) {
                err.println(e.getMessage());
                return 1;
            } catch (IOException | RuntimeException e) {
                if (link != null) {
                    link.abort();
                }
                throw e;
            }
            boolean closedCleanly = link == null || link.finish(Duration.ofSeconds(30));
            if (link != null) {
                refused += link.refusedFrames();
            }
            err.println(sent + " line(s) sent, " + refused + " refused by the server"
                    + (lost == 0 ? "" : ", " + lost + " connection(s) lost under the feed (lines written just before"
                    + " each may be lost)")
                    + (closedCleanly ? "" : "; the last connection did not close cleanly: lines at its end may be lost"));
            return refused > 0 ? 1 : lost > 0 || !closedCleanly ? LOST_CONNECTION : 0;
        }
    }

    /**
     * Tries the URLs in turn, from the one after the last tried, each reason for not being taken
     * said once, with a backoff between rounds, until one takes the publisher or {@code patience}
     * has passed (then {@code null}). Each try is cut short so as not to outlast the patience.
     */
    private PublishLink connect(HttpClient http, String credential, Duration patience, Duration quiet, long firstBackoffMs)
            throws PublishLink.Refused {
        long deadline = System.nanoTime() + patience.toNanos();
        long backoffMs = firstBackoffMs;
        if (firstBackoffMs > FIRST_BACKOFF_MS) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(firstBackoffMs / 2)); // lost at once last time
        }
        while (true) {
            for (int tried = 0; tried < urls.size(); tried++) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0) {
                    return null;
                }
                URI url = urls.get(candidate);
                candidate = (candidate + 1) % urls.size();
                Duration timeout = Duration.ofMillis(Math.min(CONNECT_TIMEOUT.toMillis(), Math.max(100, leftMs)));
                PublishLink.Attempt attempt = PublishLink.open(http, url, credential, err, timeout, quiet);
                if (attempt.link() != null) {
                    err.println("publishing to " + url);
                    saidOf.clear();
                    return attempt.link();
                }
                if (!attempt.notTaken().equals(saidOf.put(url, attempt.notTaken()))) {
                    err.println(url + ": " + attempt.notTaken()); // each reason once, not at every retry
                }
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                return null;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.min(backoffMs, leftMs))); // retry backoff
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
    }
}
