package io.tickwire.cli.config;

import io.tickwire.server.ServerConfig;
import java.util.List;
import java.util.Map;

/**
 * The whole configuration, as read from YAML. Immutable.
 *
 * @param server    how the server listens and treats connections
 * @param engine    partitions and queues of the market-data engine
 * @param simulator the built-in market simulator
 * @param plans     named plans accounts refer to
 * @param accounts  who may connect, with hashed credentials
 */
public record TickwireConfig(ServerConfig server, EngineSettings engine, SimulatorSettings simulator,
                             Map<String, PlanSettings> plans, List<AccountSettings> accounts) {

    public TickwireConfig {
        plans = Map.copyOf(plans == null ? Map.of() : plans);
        accounts = List.copyOf(accounts == null ? List.of() : accounts);
    }

    /** This configuration with another port (for {@code --port}). */
    public TickwireConfig withPort(int port) {
        return new TickwireConfig(server.withPort(port), engine, simulator, plans, accounts);
    }

    /**
     * @param partitions    engine partition threads (instruments are spread over them)
     * @param queueCapacity events each partition queue holds before sources feel back-pressure
     */
    public record EngineSettings(int partitions, int queueCapacity) {
        public EngineSettings {
            if (partitions < 1 || partitions > 64) {
                throw new IllegalArgumentException("engine.partitions must be 1..64, was " + partitions);
            }
            if (queueCapacity < 1_024) {
                throw new IllegalArgumentException("engine.queueCapacity must be >= 1024, was " + queueCapacity);
            }
        }
    }

    /**
     * @param enabled            whether the simulator feeds the server
     * @param seed               the simulator's random seed: the same seed gives the same market
     * @param eventsPerSecond    total events per second over all instruments
     * @param respectMarketHours whether equities and FX trade only in their sessions
     */
    public record SimulatorSettings(boolean enabled, long seed, double eventsPerSecond, boolean respectMarketHours) {
        public SimulatorSettings {
            if (eventsPerSecond < 0 || eventsPerSecond > 10_000_000) {
                throw new IllegalArgumentException("simulator.eventsPerSecond must be 0..10000000, was " + eventsPerSecond);
            }
        }
    }

    /**
     * A plan as configured.
     *
     * @param onConnectionLimit {@code reject-new} or {@code replace-oldest}
     * @param channels          channel names, e.g. {@code [quote, trade]}
     */
    public record PlanSettings(int maxConnections, String onConnectionLimit, int maxSymbols, List<String> channels,
                               int requestsPerSecond, int requestBurst) {
    }

    /**
     * An account as configured.
     *
     * @param tokens SHA-256 hashes of its API tokens ({@code sha256:…}); never tokens in clear
     */
    public record AccountSettings(String name, String plan, List<String> tokens) {
        public AccountSettings {
            tokens = List.copyOf(tokens == null ? List.of() : tokens);
        }

        @Override
        public String toString() {
            return "AccountSettings[name=" + name + ", plan=" + plan + ", tokens=" + tokens.size() + "]";
        }
    }
}
