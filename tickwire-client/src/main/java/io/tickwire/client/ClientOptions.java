package io.tickwire.client;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The settings a client was built with. Immutable.
 *
 * @param uri                the server's address
 * @param alternates         other servers of the same cluster, tried in turn after a failed attempt; may be empty
 * @param heartbeatTolerance how many heartbeat intervals of silence make a link dead
 * @param callbackExecutor   where callbacks run, or {@code null} for the I/O thread
 * @param closeTimeout       how long {@code close()} waits for the server's close frame
 * @param onQuote            the listeners; any may be {@code null}
 * @param inboundFrames      a test hook that sees every inbound text frame first and returns it
 *                           (possibly changed) or {@code null} to drop it; {@code null} for none
 */
record ClientOptions(URI uri, java.util.List<URI> alternates, Credentials credentials, Duration connectTimeout, Duration reconnectMin,
                     Duration reconnectMax, int heartbeatTolerance, Executor callbackExecutor, int maxFrameBytes,
                     Duration closeTimeout, Consumer<Quote> onQuote, Consumer<Trade> onTrade, Consumer<BookView> onBook,
                     Consumer<BookResync> onBookResync, Consumer<Bar> onBar, Consumer<Gap> onGap,
                     Consumer<ConnectionEvent> onConnectionEvent, UnaryOperator<String> inboundFrames) {
}
