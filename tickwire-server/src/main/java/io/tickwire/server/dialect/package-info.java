/**
 * Compatibility dialects: iTick ({@code /itick/{cluster}}), TickTrader Feed ({@code /ticktrader})
 * and the enterprise compact format ({@code /enterprise/ws}). Each is a codec and a route over the
 * same {@link io.tickwire.server.session.Session}, engine and authentication: a dialect owns its
 * texts and field names, never business logic. See {@code docs/dialects.md}.
 */
package io.tickwire.server.dialect;
