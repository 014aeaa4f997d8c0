/**
 * The enterprise compact dialect ({@code /enterprise/ws}, seed 003): session token in
 * {@code X-ZUMO-AUTH}, e-mail registration, {@code "ping"}/{@code "pong"}, quotes, series and
 * ticks with the seed's abbreviated field names and second timestamps carrying microseconds.
 * See {@code docs/dialects.md}.
 */
package io.tickwire.server.dialect.enterprise;
