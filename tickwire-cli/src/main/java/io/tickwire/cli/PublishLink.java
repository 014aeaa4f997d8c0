package io.tickwire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickwire.protocol.ErrorCode;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One publisher connection of {@code tickwire publish}: opened only once the server says it takes
 * the publisher ({@code publishing}), so no line is ever written to a node that then refuses it.
 *
 * <p>{@link #open} sorts a refusal into one another node may not share (the node is a standby, is
 * going away, is busy, or cannot be reached: no link, try the next) and one every node would give
 * (a wrong or revoked credential, an account that may not publish, a ban: {@link Refused}). Once
 * taken, the link pings the server four times per {@code silence} and aborts itself when it has
 * heard nothing for that long, so a paused or cut-off node is left instead of being written to for
 * ever. Errors the server sends about frames are printed and counted, and the server's count of
 * frames taken ({@code taken}) is kept, for the lines to send again when the link is lost.
 *
 * <p>Sends are made one at a time from the caller's thread; the server's messages and the close
 * arrive on the HTTP client's threads, the pings on a shared daemon thread: the fields they share
 * are volatile or futures.
 */
final class PublishLink {

    /** A refusal no other node would change: stop. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** An attempt to be taken: the link, or why this node did not take the publisher now. */
    record Attempt(PublishLink link, String notTaken) {
    }

    /** Close codes after which another node, or this one later, may take the publisher. */
    static final Set<Integer> PASSING = Set.of(1001, 1006, 1011, 1013);
    /** The errors that refuse one frame (the connection stays open), as opposed to the publisher. */
    private static final Set<String> FRAME_ERRORS = Set.of(ErrorCode.MALFORMED_JSON.wire(), ErrorCode.INVALID_FIELD.wire(),
            ErrorCode.UNKNOWN_SYMBOL.wire(), ErrorCode.UNKNOWN_OP.wire());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScheduledExecutorService PINGS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "tickwire-publish-ping");
        thread.setDaemon(true);
        return thread;
    });

    private final URI uri;
    private final PrintWriter err;
    private final CompletableFuture<JsonNode> taken = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>(); // "code reason"
    private volatile String lastError = "";
    private volatile int closeCode;
    private volatile int refusedFrames;
    private volatile boolean finishing;
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile WebSocket socket;
    private volatile ScheduledFuture<?> pings;
    private long framesTaken; // guarded by this

    private final Duration silence;

    private PublishLink(URI uri, PrintWriter err, Duration silence) {
        this.uri = uri;
        this.err = err;
        this.silence = silence;
    }

    /**
     * Connects to {@code uri} and waits (up to {@code timeout}) until the server takes the
     * publisher; without a link if this node does not now.
     *
     * @throws Refused if the server refuses the publisher for a reason every node shares
     */
    static Attempt open(HttpClient http, URI uri, String token, PrintWriter err, Duration timeout, Duration silence)
            throws Refused {
        PublishLink link = new PublishLink(uri, err, silence);
        CompletableFuture<WebSocket> connecting = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + token).connectTimeout(timeout).buildAsync(uri, link.new Listener());
        try {
            link.socket = connecting.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture.anyOf(link.taken, link.closed).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable root = root(e);
            // the JDK's client reports a refused connection as a closed channel
            return new Attempt(null, "cannot connect (" + (root instanceof ConnectException
                    || root instanceof ClosedChannelException ? "connection refused: is a server running there?"
                    : rootMessage(e)) + ")");
        } catch (TimeoutException e) {
            connecting.thenAccept(WebSocket::abort); // a handshake that completes later is not left open
            return new Attempt(null, "not taken within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            connecting.thenAccept(WebSocket::abort);
            Thread.currentThread().interrupt();
            return new Attempt(null, "interrupted");
        }
        if (link.taken.isDone()) {
            long every = Math.max(1, silence.toMillis() / 4);
            link.pings = PINGS.scheduleAtFixedRate(link::ping, every, every, TimeUnit.MILLISECONDS);
            return new Attempt(link, null);
        }
        String why = link.lastError.isEmpty() ? "closed " + link.closed.getNow("") : link.lastError;
        if (PASSING.contains(link.closeCode)) {
            return new Attempt(null, "not taken (" + why + ")");
        }
        throw new Refused(uri + ": refused (" + why + ", close " + link.closeCode + ")");
    }

    /** The largest line the server reads ({@code server.maxFrameBytes}, in the {@code publishing} message). */
    long maxFrameBytes() {
        return taken.join().path("maxFrameBytes").asLong(65_536);
    }

    /**
     * Writes one frame; {@code false} if the connection has closed (the frame was not written).
     * Written is not taken: only the server's {@code taken} count says the frame got there.
     */
    boolean send(String frame) {
        if (closed.isDone()) {
            return false;
        }
        try {
            socket.sendText(frame, true).get();
            return true;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Once a send failed: waits (up to {@code timeout}) for the close to arrive, so that the
     * errors the server sent before it are counted; the close code, or 1006 without one.
     */
    int awaitClosed(Duration timeout) {
        try {
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            closed(1006, "no close from the server within " + timeout.toSeconds() + " s");
            abort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed(1006, "interrupted");
            abort();
        }
        stopPinging();
        return closeCode;
    }

    /** Why the connection closed, once it has: {@code code reason} and the server's last error. */
    String closedBecause() {
        String close = closed.getNow("");
        return lastError.isEmpty() ? close : close + "; " + lastError;
    }

    /**
     * Closes after the last frame and waits (up to {@code timeout}) for the server's close, which
     * comes after it has read every frame before it (and answered the ones it refused).
     *
     * @return whether the server closed in time, normally
     */
    boolean finish(Duration timeout) {
        finishing = true;
        stopPinging();
        try {
            if (!closed.isDone()) {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return closeCode == WebSocket.NORMAL_CLOSURE;
        } catch (ExecutionException | TimeoutException e) {
            abort();
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort();
            return false;
        }
    }

    /** Drops the connection without a close handshake (a failure path). */
    void abort() {
        stopPinging();
        WebSocket open = socket;
        if (open != null) {
            open.abort();
        }
    }

    /**
     * Waits until the server has taken more than {@code frames} of this link's frames (its
     * {@code taken} count), or the connection has closed; the count.
     */
    synchronized long awaitTakenBeyond(long frames) {
        return awaitTakenBeyond(frames, null);
    }

    /** As {@link #awaitTakenBeyond(long)}, for at most {@code timeout} ({@code null}: no limit). */
    synchronized long awaitTakenBeyond(long frames, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (framesTaken <= frames && !closed.isDone() && System.nanoTime() - deadline < 0) {
            try {
                wait(100); // woken by a count or a close; the timeout only re-checks them
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return framesTaken;
    }

    /** Whether the connection has closed (or been left as silent). */
    boolean isClosed() {
        return closed.isDone();
    }

    /** How many of this link's frames the server has said it took (or refused), so far. */
    synchronized long framesTaken() {
        return framesTaken;
    }

    /** Frames the server answered with an error (none of their events published). */
    int refusedFrames() {
        return refusedFrames;
    }

    URI uri() {
        return uri;
    }

    private synchronized void stopPinging() {
        if (pings != null) {
            pings.cancel(false);
        }
    }

    /** On the ping thread: a ping, or the end of a link that has heard nothing for too long. */
    private void ping() {
        if (closed.isDone()) {
            stopPinging();
            return;
        }
        if (System.nanoTime() - lastHeardNanos > silence.toNanos()) {
            closed(1006, "no answer to pings for " + silence.toMillis() + " ms: the node is paused or cut off");
            abort(); // a send blocked on it fails, and the writer looks for another node
            return;
        }
        socket.sendPing(ByteBuffer.allocate(0));
    }

    private void onMessage(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        switch (message.path("type").asText()) {
            case "publishing" -> taken.complete(message);
            case "taken" -> {
                synchronized (this) {
                    framesTaken = Math.max(framesTaken, message.path("frames").asLong());
                    notifyAll();
                }
            }
            case "error" -> {
                lastError = message.path("code").asText() + ": " + message.path("message").asText();
                // a frame refused; any other error is the reason of the close that follows it
                if (taken.isDone() && FRAME_ERRORS.contains(message.path("code").asText())) {
                    refusedFrames++;
                    err.println(uri + ": a line was refused (" + lastError + ")");
                }
            }
            default -> { } // nothing else is sent to publishers; a newer server's news is not ours
        }
    }

    /** Said at once, not at the next line: a feed piped in may be quiet for a while. */
    private synchronized void closed(int code, String reason) {
        if (closed.isDone()) {
            return;
        }
        closeCode = code; // before the future: whoever sees it closed sees the code
        closed.complete(code + " " + reason);
        notifyAll(); // a writer waiting for a count
        if (taken.isDone() && !finishing) {
            err.println(uri + ": closed (" + code + " " + reason + ")");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = root(e);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    /** The HTTP client's callbacks: text reassembled from its parts, one message at a time. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastHeardNanos = System.nanoTime();
            text.append(data);
            if (last) {
                onMessage(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            lastHeardNanos = System.nanoTime();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            lastHeardNanos = System.nanoTime(); // the client answers it by itself
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed(statusCode, reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed(1006, rootMessage(error));
        }
    }
}
