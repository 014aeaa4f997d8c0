package io.tickwire.client;

import io.tickwire.model.Channel;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A change in the client's connection, in the order it happens. Every attempt starts with
 * {@link Connecting} and, unless the client is closed meanwhile, ends with {@link Disconnected};
 * a successful one has {@link Connected} in between. After {@link Disconnected} comes either
 * {@link Reconnecting} or the final {@link Closed}.
 *
 * <p>Immutable.
 */
public sealed interface ConnectionEvent {

    /** The close code reported when a connection ended without a close frame (RFC 6455). */
    int ABNORMAL_CLOSURE = 1006;

    /**
     * An attempt to connect begins.
     *
     * @param uri     the server's URI
     * @param attempt 1 for the first attempt, counting up over the client's life
     */
    record Connecting(URI uri, int attempt) implements ConnectionEvent {
    }

    /**
     * The connection is authenticated and every wanted subscription has been sent again and
     * answered: data flows.
     *
     * @param session     what the server said about the connection
     * @param notRestored wanted subscriptions the server refused this time (for example because the
     *                    plan changed), apart from those of requests still waiting for their answer,
     *                    which hear it themselves; the client has dropped them from what it
     *                    subscribes
     */
    record Connected(SessionInfo session, List<Rejection> notRestored) implements ConnectionEvent {
        /** Copies the list. */
        public Connected {
            notRestored = List.copyOf(notRestored);
        }
    }

    /**
     * A connection, or an attempt at one, ended.
     *
     * @param closeCode the server's WebSocket close code, or {@link #ABNORMAL_CLOSURE} if the
     *                  connection ended without one (network failure, refused connection, timeout,
     *                  or a link the client declared dead because nothing arrived)
     * @param reason    the server's close reason, or what the client observed
     */
    record Disconnected(int closeCode, String reason) implements ConnectionEvent {
    }

    /**
     * The client will try again after a delay.
     *
     * @param delay   how long the client waits before the next attempt
     * @param attempt the number the next attempt will have
     */
    record Reconnecting(Duration delay, int attempt) implements ConnectionEvent {
    }

    /**
     * The client has stopped for good: {@link TickwireClient#close()} was called, or the server
     * refused it in a way retrying cannot fix (failed authentication, connection limit, policy
     * violation).
     *
     * @param closeCode the close code that ended the client (1000 when closed by the user)
     * @param reason    why
     */
    record Closed(int closeCode, String reason) implements ConnectionEvent {
    }

    /**
     * A stream was resumed after a reconnect: {@code exact} (every missed message is delivered,
     * in order, before live ones: the stream has no break), {@code snapshot} (a fresh snapshot
     * replaced what was missed: books, quotes) or {@code gap} (trades {@code missedFrom} to
     * {@code missedTo} could not be given; the gap listener hears of it too).
     */
    record Resumed(String symbol, Channel channel, String mode, long replayed, long missedFrom, long missedTo)
            implements ConnectionEvent {
    }

    /**
     * The server says an instrument's source went quiet ({@code stale}) or is live again: the
     * stream is not broken, the market (or its upstream) is silent. The client raises it itself too,
     * with {@code stale} true, when a trade or quote stream is still short of where the server said it
     * was a heartbeat earlier: messages were lost on the way, and the client reconnects and resumes.
     */
    record StreamStatus(String symbol, Channel channel, boolean stale, long lastEventTime) implements ConnectionEvent {
    }
}
