package io.tickwire.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts authentication attempts by scheme, outcome and reason ({@code tickwire_auth_attempts_total}
 * in Prometheus). Never records a credential. Thread-safe.
 */
public final class AuthMetrics {

    private final MeterRegistry registry;

    public AuthMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A credential of {@code scheme} was accepted. */
    public void succeeded(String scheme) {
        counter(scheme, "success", "ok").increment();
    }

    /** A credential of {@code scheme} was refused for {@code reason} (the wire error code). */
    public void failed(String scheme, String reason) {
        counter(scheme, "failure", reason).increment();
    }

    private Counter counter(String scheme, String outcome, String reason) {
        return Counter.builder("tickwire.auth.attempts")
                .description("Authentication attempts by scheme, outcome and reason")
                .tag("scheme", scheme).tag("outcome", outcome).tag("reason", reason)
                .register(registry);
    }
}
