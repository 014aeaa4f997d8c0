package io.tickwire.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One publisher connection of {@code tickwire publish}: opened only once the server says it takes
 * the publisher ({@code publishing}), so no line is ever written to a node that then refuses it.
 *
 * <p>{@link #open} sorts a refusal into one another node may not share (the node is a standby, is
 * going away, is busy, or cannot be reached: no link, try the next) and one every node would
 * give (a wrong or revoked credential, an account that may not publish, a ban:
 * {@link Refused}). Errors the server sends about frames are printed and counted. Sends are made
 * one at a time from the caller's thread; the server's messages arrive on the HTTP client's.
 */
final class PublishLink {

    /** A refusal no other node would change: stop. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /** Close codes after which another node, or this one later, may take the publisher. */
    private static final Set<Integer> PASSING = Set.of(1001, 1006, 1011, 1013);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI uri;
    private final PrintWriter err;
    private final CompletableFuture<String> taken = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>(); // "code reason"
    private volatile String lastError = "";
    private volatile int closeCode;
    private volatile int refusedFrames;
    private volatile boolean finishing;
    private WebSocket socket;

    private PublishLink(URI uri, PrintWriter err) {
        this.uri = uri;
        this.err = err;
    }

    /** An attempt to be taken: the link, or why this node did not take the publisher now. */
    record Attempt(PublishLink link, String notTaken) {
    }

    /**
     * Connects to {@code uri} and waits (up to {@code timeout}) until the server takes the
     * publisher; without a link if this node does not now.
     *
     * @throws Refused if the server refuses the publisher for a reason every node shares
     */
    static Attempt open(HttpClient http, URI uri, String token, PrintWriter err, Duration timeout) throws Refused {
        PublishLink link = new PublishLink(uri, err);
        try {
            link.socket = http.newWebSocketBuilder().header("Authorization", "Bearer " + token).connectTimeout(timeout)
                    .buildAsync(uri, link.new Listener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture.anyOf(link.taken, link.closed).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable root = root(e);
            // the JDK's client reports a refused connection as a closed channel
            return new Attempt(null, "cannot connect (" + (root instanceof ConnectException
                    || root instanceof ClosedChannelException ? "connection refused: is a server running there?"
                    : rootMessage(e)) + ")");
        } catch (TimeoutException e) {
            link.abort();
            return new Attempt(null, "not taken within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(null, "interrupted");
        }
        if (link.taken.isDone()) {
            return new Attempt(link, null);
        }
        String why = link.lastError.isEmpty() ? "closed " + link.closed.getNow("") : link.lastError;
        if (PASSING.contains(link.closeCode)) {
            return new Attempt(null, "not taken (" + why + ")");
        }
        throw new Refused(uri + ": refused (" + why + ", close " + link.closeCode + ")");
    }

    /** Writes one frame; {@code false} if the connection has closed (the frame was not written). */
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

    /** Frames the server answered with an error (none of their events published). */
    int refusedFrames() {
        return refusedFrames;
    }

    URI uri() {
        return uri;
    }

    private void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    private void onMessage(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (IOException e) {
            return;
        }
        switch (message.path("type").asText()) {
            case "publishing" -> taken.complete(message.path("account").asText());
            case "error" -> {
                lastError = message.path("code").asText() + ": " + message.path("message").asText();
                if (taken.isDone()) { // a frame refused (before, the refusal of the publisher, told by open)
                    refusedFrames++;
                    err.println(uri + ": a line was refused (" + lastError + ")");
                }
            }
            default -> { } // nothing else is sent to publishers; a newer server's news is not ours
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
            text.append(data);
            if (last) {
                onMessage(text.toString());
                text.setLength(0);
            }
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

        /** Said at once, not at the next line: a feed piped in may be quiet for a while. */
        private void closed(int code, String reason) {
            closeCode = code;
            if (closed.complete(code + " " + reason) && taken.isDone() && !finishing) {
                err.println(uri + ": closed by the server (" + code + " " + reason + ")");
            }
        }
    }
}
