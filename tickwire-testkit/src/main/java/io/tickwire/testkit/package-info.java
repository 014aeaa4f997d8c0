/**
 * Fixtures every module's tests share: a {@link io.tickwire.testkit.ManualClock} to drive time,
 * and a {@link io.tickwire.testkit.RawWebSocketClient} that speaks raw frames over a real socket
 * and records everything it receives, so a test can assert exactly what the server sent.
 */
package io.tickwire.testkit;
