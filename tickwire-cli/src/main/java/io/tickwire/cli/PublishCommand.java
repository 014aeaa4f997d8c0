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
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * lines the lost node had not counted as taken ({@code taken}) go there first, then the rest. A node
 * killed may have lost lines it had taken, and a lost node may have taken lines it had not counted
 * yet (sent again: twice): the command says how many connections ended under it and exits 3.
 * Refusals every node would give (a wrong credential, an account not allowed to publish) end it.
 * At most {@value #WINDOW} lines are written ahead of the node's count.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Send your own trades and quotes into a server, one JSON event (or array of them) per line.",
                "Each line is one frame of the publisher protocol (docs/protocol.md, 'Publishing events').",
                "Exit status: 0 every line sent and taken; 1 lines refused, or no node took the publisher;"
                        + " 3 every line sent, but a connection ended under the feed (a line may be lost or published twice).",
                "Examples:",
                "  echo '{\"op\":\"trade\",\"symbol\":\"BTCUSDT\",\"price\":\"67000.5\",\"size\":\"0.01\",\"side\":\"buy\"}'"
                        + " | ./tickwire publish",
                "  ./tickwire publish events.jsonl --url ws://a:8080/v1/publish --url ws://b:8084/v1/publish"})
final class PublishCommand implements Callable<Integer> {

    static final int LOST_CONNECTION = 3;
    /** Lines written to a node and not yet in its taken count, at most: beyond, wait for the count. */
    static final int WINDOW = 10_000;
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
    private long lastSentNumber; // the input line last written for the first time
    private final Map<URI, String> saidOf = new HashMap<>(); // why each node did not take the publisher, as last printed
    private int candidate;

    /** A line of the input, with its number for messages; {@link #END} after the last. */
    private record Line(long number, String text) {
    }

    private static final Line END = new Line(-1, null);

    // the state of one run, on the command's thread
    private PublishLink link;
    private long written; // lines written on this link
    private final ArrayDeque<Line> untaken = new ArrayDeque<>(); // written on this link, not yet in its taken count
    private final ArrayDeque<Line> toSend = new ArrayDeque<>(); // read, or to be written again, in order
    private long sent; // distinct lines written at least once
    private long resent; // lines written again after the node they were written to was lost
    private int refused;
    private int lost; // connections that ended under the feed

    @Override
    public Integer call() throws IOException, InterruptedException {
        err = spec.commandLine().getErr();
        Duration patience = DurationText.parse(giveUpAfter);
        Duration quiet = DurationText.parse(silence);
        String credential = DemoCommand.tokenOrDefault(token);
        BlockingQueue<Line> input = new ArrayBlockingQueue<>(1_024);
        AtomicReference<IOException> readFailure = new AtomicReference<>();
        BufferedReader lines = new BufferedReader(file == null
                ? new InputStreamReader(in, StandardCharsets.UTF_8) : Files.newBufferedReader(file));
        // the input is read on its own thread, so a node lost while the feed is quiet is noticed at once
        Thread reading = Thread.ofPlatform().daemon().name("tickwire-publish-input").start(() -> read(lines, input, readFailure));
        long backoffMs = FIRST_BACKOFF_MS;
        boolean ended = false;
        // the HTTP client's close waits for its WebSockets: every link is finished or aborted inside
        try (HttpClient http = HttpClient.newHttpClient()) {
            boolean finished = false;
            try {
                while (true) {
                    if (toSend.isEmpty()) {
                        if (link != null && link.isClosed() && !lose()) {
                            return 1;
                        }
                        if (ended) {
                            if (link == null || caughtUp(quiet)) {
                                break; // every line written, and the node has said it took them
                            }
                            continue;
                        }
                        Line next = input.poll(100, TimeUnit.MILLISECONDS);
                        if (next == END) {
                            ended = true;
                            if (readFailure.get() != null) {
                                throw readFailure.get();
                            }
                        } else if (next != null) {
                            toSend.add(next);
                        }
                        continue;
                    }
                    if (link == null) {
                        link = connect(http, credential, patience, quiet, backoffMs);
                        if (link == null) {
                            err.println("no node took the publisher within " + giveUpAfter + "; " + sent + " line(s) sent");
                            return 1;
                        }
                        written = 0;
                    }
                    if (untaken.size() >= WINDOW) { // the node is behind: wait for its count (or its loss)
                        link.awaitTakenBeyond(written - untaken.size());
                    }
                    forgetTaken();
                    Line line = toSend.peek();
                    long bytes = line.text().getBytes(StandardCharsets.UTF_8).length;
                    if (bytes > link.maxFrameBytes()) { // the server would close the connection (1009) and lose it
                        err.println("line " + line.number() + ": " + bytes + " bytes, over the server's limit of "
                                + link.maxFrameBytes() + " (server.maxFrameBytes): not sent");
                        refused++;
                        toSend.poll();
                    } else if (link.send(line.text())) {
                        toSend.poll();
                        untaken.add(line);
                        written++;
                        if (line.number() > lastSentNumber) {
                            lastSentNumber = line.number();
                            sent++;
                        } else {
                            resent++;
                        }
                        backoffMs = FIRST_BACKOFF_MS; // a node that took lines: the next search starts quickly
                    } else {
                        if (!lose()) {
                            return 1;
                        }
                        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2); // taken, then lost at once: no spin
                    }
                }
                boolean allTaken = link == null || link.framesTaken() >= written;
                // a node that counted every line has them, however it closes (a shutdown's 1001 too)
                boolean closedCleanly = link == null || link.finish(Duration.ofSeconds(30)) || allTaken;
                finished = true;
                if (link != null) {
                    refused += link.refusedFrames();
                }
                err.println(sent + " line(s) sent, " + refused + " refused by the server"
                        + (lost == 0 ? "" : "; " + lost + " connection(s) lost under the feed, " + resent + " line(s) sent"
                        + " again to the next node: a lost node may have taken some of them without saying so (twice);"
                        + " a single server killed may also have lost lines it had taken (a cluster's ingest node counts"
                        + " only what Kafka has)")
                        + (closedCleanly ? "" : "; the last connection did not close cleanly: lines at its end may be lost"));
                return refused > 0 ? 1 : lost > 0 || !closedCleanly ? LOST_CONNECTION : 0;
            } catch (PublishLink.Refused e) {
                err.println(e.getMessage());
                return 1;
            } finally {
                reading.interrupt();
                if (link != null && !finished) {
                    link.abort();
                }
            }
        }
    }

    /** On the input thread: the lines that are frames, then {@link #END}. */
    private static void read(BufferedReader lines, BlockingQueue<Line> input, AtomicReference<IOException> failure) {
        long number = 0;
        try (lines) {
            String text;
            while ((text = lines.readLine()) != null) {
                number++;
                if (!text.isBlank() && !text.strip().startsWith("#")) {
                    input.put(new Line(number, text.strip()));
                }
            }
        } catch (IOException e) {
            failure.set(e);
        } catch (InterruptedException e) {
            return; // the command ended first
        }
        try {
            input.put(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * At the end of the input: whether to finish now. Waits for the node's counts until it has
     * taken every line written to it; a node that stops counting for {@code quiet} but still answers
     * pings is finished all the same (its close handshake then says whether it read everything).
     */
    private boolean caughtUp(Duration quiet) {
        forgetTaken();
        if (untaken.isEmpty()) {
            return true;
        }
        long before = link.framesTaken();
        link.awaitTakenBeyond(written - untaken.size(), quiet); // the next count, the close, or the timeout
        forgetTaken();
        return untaken.isEmpty() || (!link.isClosed() && link.framesTaken() == before);
    }

    /**
     * The link closed under the feed: counts what it refused; if another node may take the
     * publisher, puts the lines it had not said it took back before the others and returns
     * {@code true}; if no node would ({@code 1008}, {@code 4002}, ...), says so and returns {@code false}.
     */
    private boolean lose() {
        int code = link.awaitClosed(Duration.ofSeconds(5));
        refused += link.refusedFrames();
        forgetTaken();
        if (!PublishLink.PASSING.contains(code)) {
            err.println(link.uri() + ": stopped (" + link.closedBecause() + "); " + sent
                    + " line(s) sent, the last " + untaken.size() + " not known to be taken");
            return false;
        }
        lost++;
        err.println(link.uri() + ": lost (" + link.closedBecause() + "); " + untaken.size()
                + " line(s) it had not said it took go to the next node");
        while (!untaken.isEmpty()) {
            toSend.addFirst(untaken.pollLast()); // in their order, before the lines not yet sent
        }
        link = null;
        return true;
    }

    /** Drops from {@link #untaken} the lines the link's count covers: of those written, the first {@code taken}. */
    private void forgetTaken() {
        long taken = link.framesTaken();
        while (!untaken.isEmpty() && written - untaken.size() < taken) {
            untaken.poll();
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
