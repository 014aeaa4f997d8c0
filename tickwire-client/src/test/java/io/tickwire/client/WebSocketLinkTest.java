package io.tickwire.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.tickwire.client.internal.WebSocketLink;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The transport on its own, against a real server. */
@ExtendWith(NoLeaks.class)
class WebSocketLinkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private ServerFixture server;
    private EventLoopGroup group;
    private EventLoop loop;
    private final CompletableFuture<String> firstText = new CompletableFuture<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();

    private final WebSocketLink.Listener listener = new WebSocketLink.Listener() {
        @Override
        public void onText(WebSocketLink link, String text) {
            firstText.complete(text);
        }

        @Override
        public void onClosed(WebSocketLink link, int closeCode, String reason) {
            if (!closed.complete(closeCode + " " + reason)) {
                throw new AssertionError("onClosed called twice");
            }
        }
    };

    @BeforeEach
    void start() {
        server = ServerFixture.start();
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
    }

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        server.close();
    }

    private WebSocketLink open(java.net.URI uri) throws Exception {
        return loop.submit(() -> {
            WebSocketLink link = new WebSocketLink(loop, new WebSocketLink.Settings(uri, Duration.ofSeconds(5), 1 << 16, null),
                    listener);
            link.connect();
            return link;
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void closeCompletesTheHandshakeWithTheServersAnswer() throws Exception {
        WebSocketLink link = open(server.uri());
        assertThat(firstText).succeedsWithin(WAIT).asString().contains("\"type\":\"welcome\"");

        loop.execute(() -> link.close(1000, "bye", Duration.ofSeconds(5)));

        // the server echoes 1000; without its answer the link would report 1006 after the grace
        assertThat(closed).succeedsWithin(WAIT).isEqualTo("1000 bye");
    }

    @Test
    void aRefusedConnectionIsReportedOnceWithoutACloseFrame() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }

        open(server.uri(port));

        assertThat(closed).succeedsWithin(WAIT).asString().startsWith("1006 ");
    }

    @Test
    void aRefusedConnectionSaysSoAndNamesTheUri() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort(); // closed again: nothing listens there now
        }
        java.net.URI uri = server.uri(port);

        open(uri);

        // not "connection closed during the handshake": there never was a connection to close
        assertThat(closed).succeedsWithin(WAIT).asString()
                .isEqualTo("1006 connection refused: is a server running at " + uri + "?");
    }

    @Test
    void anUpgradeRefusedByTheServerReportsItsHttpStatus() throws Exception {
        WebSocketLink link = open(java.net.URI.create("ws://127.0.0.1:" + server.port() + "/no-such-path"));

        assertThat(closed).succeedsWithin(WAIT).asString().contains("HTTP 404");
        assertThat(loop.submit(link::refusedStatus).get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(404);
    }
}
