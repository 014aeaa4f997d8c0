/**
 * The iTick dialect ({@code /itick/{cluster}}, seed 001): token in the handshake, {@code ac}
 * requests, {@code code}/{@code resAc}/{@code msg} answers, tick/quote/depth/kline data in iTick's
 * field names, {@code ETH_USDT} spelling in data. See {@code docs/dialects.md}.
 */
package io.tickwire.server.dialect.itick;
