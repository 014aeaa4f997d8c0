package io.tickwire.server.session;

import io.micrometer.core.instrument.MeterRegistry;
import io.tickwire.auth.Authenticator;
import io.tickwire.engine.bus.Bus;
import io.tickwire.model.Clock;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.fanout.FanOut;
import io.tickwire.server.session.auth.AuthGate;

/**
 * What every session needs from the server, in one immutable bundle.
 *
 * @param version the server version shown in welcome messages
 * @param epoch   the server's start time in microseconds; changes on every restart
 * @param gate    every authentication decision (schemes, two-factor, throttling)
 * @param meters  the server's metrics registry
 */
public record SessionServices(ServerConfig config, InstrumentCatalog catalog, Bus bus, FanOut fanOut,
                              Authenticator authenticator, ConnectionRegistry registry, Clock clock, String version,
                              long epoch, AuthGate gate, MeterRegistry meters, EmailRegistrations emailRegistrations) {
}
