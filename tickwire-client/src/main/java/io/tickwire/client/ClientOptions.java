package io.tickwire.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The settings a client was built with. Immutable.
 *
 * @param heartbeatTolerance how many heartbeat intervals of silence make a link dead
 * @param callbackExecutor   where callbacks run, or {@code null} for the I/O thread
 * @param closeTimeout       how long {@code close()} waits for the server's close frame
 * @param onQuote            the listeners; any may be {@code null}
 */
record ClientOptions(URI uri, Credentials credentials, Duration connectTimeout, Duration reconnectMin,
                     Duration reconnectMax, int heartbeatTolerance, Executor callbackExecutor, int maxFrameBytes,
                     Duration closeTimeout, Consumer<Quote> onQuote, Consumer<Trade> onTrade, Consumer<Gap> onGap,
                     Consumer<ConnectionEvent> onConnectionEvent) {
}
