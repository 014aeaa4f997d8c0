/**
 * The Tickwire Java SDK: a client that connects to a Tickwire server over WebSocket,
 * authenticates, subscribes to quotes and trades, and keeps the stream going across network
 * failures and server restarts — reconnecting with backoff, restoring subscriptions, and checking
 * sequence numbers so a missed message is reported as a {@link io.tickwire.client.Gap}, never
 * lost silently.
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
 * <p>Everything a user needs is in this package: {@link io.tickwire.client.TickwireClient} and its
 * builder, {@link io.tickwire.client.Credentials}, the data records ({@link io.tickwire.client.Quote},
 * {@link io.tickwire.client.Trade}, {@link io.tickwire.client.Gap}), request results and
 * {@link io.tickwire.client.ConnectionEvent}s. Channels and sides are the model's
 * {@link io.tickwire.model.Channel} and {@link io.tickwire.model.Side}.
 */
package io.tickwire.client;
