/**
 * The TickTrader Feed dialect ({@code /ticktrader}, seed 004): {@code Id}/{@code Request}/
 * {@code Params} requests answered with {@code Response}/{@code Result} or
 * {@code "Response":"Error"}; HMAC login, two-factor, reference data, feed and bar-feed
 * subscriptions, quote and interest-rate history. See {@code docs/dialects.md}.
 */
package io.tickwire.server.dialect.ticktrader;
