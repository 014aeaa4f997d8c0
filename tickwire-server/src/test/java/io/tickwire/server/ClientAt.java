package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.protocol.v1.MessageReader;
import io.tickwire.protocol.v1.ServerMessage;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A native-protocol WebSocket client whose socket is bound to a chosen loopback address
 * ({@code 127.0.0.2}, …), so that a test can speak from another host than its
 * {@link io.tickwire.testkit.RawWebSocketClient}s on {@code 127.0.0.1}: what the server counts per
 * address tells them apart. A real socket, through the JDK's WebSocket client. Not thread-safe
 * (one test thread drives it).
 */
final class ClientAt implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MessageReader READER = new MessageReader();

    private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final HttpClient http;
    private final WebSocket socket;

    private ClientAt(String localAddress, URI uri) {
        try {
            this.http = HttpClient.newBuilder().localAddress(InetAddress.getByName(localAddress)).build();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(localAddress, e);
        }
        this.socket = http.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri, new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    texts.add(partial.toString());
                    partial.setLength(0);
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closed.completeExceptionally(error);
            }
        }).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    /** Connects from {@code localAddress} (a loopback address) to {@code uri}. */
    static ClientAt connect(String localAddress, URI uri) {
        return new ClientAt(localAddress, uri);
    }

    /** Sends a text frame. */
    ClientAt send(String text) {
        socket.sendText(text, true).orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
        return this;
    }

    /** The next message, which must be of this type. */
    <T extends ServerMessage> T expect(Class<T> type) {
        String text;
        try {
            text = texts.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (text == null) {
            throw new AssertionError("no message within " + WAIT + (closed.isDone() ? "; closed" : ""));
        }
        ServerMessage message = READER.read(text);
        assertThat(message).as("next message: %s", text).isInstanceOf(type);
        return type.cast(message);
    }

    /** Waits for the server to close the connection; its close code. */
    int awaitClose() {
        return closed.orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.abort();
        }
        http.close();
    }
}
