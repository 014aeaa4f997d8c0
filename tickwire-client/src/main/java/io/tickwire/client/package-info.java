/**
 * The Tickwire Java SDK: a client that connects to a Tickwire server over WebSocket,
 * authenticates, subscribes to quotes, trades, order books and bars, and keeps the stream going
 * across network failures and server restarts — reconnecting with backoff, restoring
 * subscriptions with their options, and checking sequence numbers so a missed message is reported
 * as a {@link io.tickwire.client.Gap}, never lost silently. Order books are kept locally, verified
 * against the server's checksums and resynchronised by themselves; any thread may read them as
 * immutable {@link io.tickwire.client.BookView}s.
 *
 * <pre>{@code
 * try (TickwireClient client = TickwireClient.builder("ws://127.0.0.1:8080/v1/ws")
 *         .credentials(Credentials.token(System.getenv("TICKWIRE_TOKEN")))
 *         .onQuote(q -> System.out.printf("%s bid %s ask %s%n", q.symbol(), q.bid(), q.ask()))
 *         .onTrade(t -> System.out.printf("%s %s %s @ %s%n", t.symbol(), t.side(), t.size(), t.price()))
 *         .onGap(g -> System.out.println("missed " + g))
 *         .onConnectionEvent(e -> System.out.println(e))
 *         .build()) {
 *     client.connect().join();
 *     SubscriptionResult result = client.subscribe(List.of("BTCUSDT", "EURUSD"), Channel.QUOTE, Channel.TRADE).join();
 *     System.out.println("refused: " + result.rejected());
 *     Thread.sleep(60_000);
 * }
 * }</pre>
 *
 * <p>A live book, ten levels deep, read from the user's own thread:
 *
 * <pre>{@code
 * client.subscribe(List.of("BTCUSDT"), SubscribeOptions.defaults().withDepth(10), Channel.BOOK).join();
 * BookView book = client.book("BTCUSDT");
 * if (book != null && book.inSync()) {
 *     System.out.println(book.bestBid() + " / " + book.bestAsk() + ", spread " + book.spread());
 * }
 * }</pre>
 *
 * <p>Everything a user needs is in this package: {@link io.tickwire.client.TickwireClient} and its
 * builder, {@link io.tickwire.client.Credentials}, {@link io.tickwire.client.SubscribeOptions}, the
 * data records ({@link io.tickwire.client.Quote}, {@link io.tickwire.client.Trade},
 * {@link io.tickwire.client.BookView}, {@link io.tickwire.client.Bar}, {@link io.tickwire.client.Gap},
 * {@link io.tickwire.client.BookResync}), request results and
 * {@link io.tickwire.client.ConnectionEvent}s. Channels, sides, periods and price types are the model's
 * {@link io.tickwire.model.Channel}, {@link io.tickwire.model.Side},
 * {@link io.tickwire.model.Periodicity} and {@link io.tickwire.model.PriceType}.
 */
package io.tickwire.client;
