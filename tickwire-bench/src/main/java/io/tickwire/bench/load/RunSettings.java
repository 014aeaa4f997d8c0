package io.tickwire.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * One run of the generator.
 *
 * @param connections         subscriber connections
 * @param symbolsPerConnection symbols each subscriber takes (consecutive, wrapping, from a per-connection offset)
 * @param symbols             the symbols published, in turn
 * @param rate                trades published per second (all symbols together); 0 publishes nothing
 * @param warmup              publishing before the measured window
 * @param measure             the measured window
 * @param sourceAddresses     how many loopback addresses (127.0.0.2, 127.0.0.3, …) subscribers connect from
 * @param stalled             subscribers that stop reading once subscribed (slow consumers)
 * @param threads             client event-loop threads
 * @param serverPid           the server's process id for CPU and memory, or 0
 * @param drainTimeout        how long to wait after publishing for every subscriber to have everything
 */
public record RunSettings(int connections, int symbolsPerConnection, List<String> symbols, double rate,
                          Duration warmup, Duration measure, int sourceAddresses, int stalled, int threads,
                          long serverPid, Duration drainTimeout) {

    public RunSettings {
        symbols = List.copyOf(symbols);
        if (connections < 1 || symbolsPerConnection < 1 || symbolsPerConnection > symbols.size()) {
            throw new IllegalArgumentException("need connections >= 1 and 1 <= symbolsPerConnection <= " + symbols.size());
        }
        if (stalled >= connections) {
            throw new IllegalArgumentException("stalled must be below connections");
        }
    }

    /** Messages per second subscribers should receive together: rate × subscribers per symbol. */
    public double expectedDeliveredPerSecond() {
        return rate * connections * symbolsPerConnection / symbols.size();
    }

    public RunSettings withRate(double newRate) {
        return new RunSettings(connections, symbolsPerConnection, symbols, newRate, warmup, measure, sourceAddresses,
                stalled, threads, serverPid, drainTimeout);
    }

    public RunSettings withStalled(int newStalled) {
        return new RunSettings(connections, symbolsPerConnection, symbols, rate, warmup, measure, sourceAddresses,
                newStalled, threads, serverPid, drainTimeout);
    }
}
