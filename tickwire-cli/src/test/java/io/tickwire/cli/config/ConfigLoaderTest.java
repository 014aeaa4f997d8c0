package io.tickwire.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickwire.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private Path yaml(String text) throws IOException {
        Path file = dir.resolve("tickwire.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void defaultsMatchTheServersOwnDefaults() {
        TickwireConfig config = loader.load(Map.of());
        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.engine().partitions()).isEqualTo(1);
        assertThat(config.simulator().enabled()).isTrue();
        assertThat(config.accounts()).isEmpty();
    }

    @Test
    void fileOverridesOnlyWhatItNamesAndDurationsHaveUnits() throws IOException {
        TickwireConfig config = loader.load(yaml("""
                server:
                  port: 9090
                  authDeadline: 2500ms
                  heartbeatInterval: 1m
                  idleTimeout: PT3M
                  flushCoalescing: 500us
                simulator:
                  eventsPerSecond: 50000
                """), Map.of());
        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.server().authDeadline()).isEqualTo(Duration.ofMillis(2500));
        assertThat(config.server().heartbeatInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.server().idleTimeout()).isEqualTo(Duration.ofMinutes(3));
        assertThat(config.server().flushCoalescing()).isEqualTo(Duration.ofNanos(500_000));
        assertThat(config.server().host()).isEqualTo("0.0.0.0");
        assertThat(config.simulator().eventsPerSecond()).isEqualTo(50_000);
        assertThat(config.simulator().seed()).isEqualTo(42);
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        TickwireConfig config = loader.load(yaml("server:\n  port: 9090\n"), Map.of(
                "TICKWIRE_SERVER_PORT", "9191",
                "TICKWIRE_SERVER_AUTH_DEADLINE", "3s",
                "TICKWIRE_SIMULATOR_RESPECT_MARKET_HOURS", "false",
                "UNRELATED", "x"));
        assertThat(config.server().port()).isEqualTo(9191);
        assertThat(config.server().authDeadline()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.simulator().respectMarketHours()).isFalse();
    }

    @Test
    void envNamesAreUpperSnakeCaseOfTheKeyPath() {
        assertThat(ConfigLoader.envName("server.authDeadline")).isEqualTo("TICKWIRE_SERVER_AUTH_DEADLINE");
        assertThat(ConfigLoader.envName("engine.partitions")).isEqualTo("TICKWIRE_ENGINE_PARTITIONS");
    }

    @Test
    void shouldNameTheKeyOfAnUnknownOrInvalidValue() throws IOException {
        assertThatThrownBy(() -> loader.load(yaml("server:\n  prot: 1\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("prot");
        assertThatThrownBy(() -> loader.load(yaml("server:\n  port: lots\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.port");
        assertThatThrownBy(() -> loader.load(yaml("server:\n  authDeadline: 10\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("server.authDeadline").hasMessageContaining("10s");
        assertThatThrownBy(() -> loader.load(yaml("server:\n  heartbeatInterval: 1m\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("invalid value at 'server.idleTimeout': must be at least twice heartbeatInterval");
        assertThatThrownBy(() -> loader.load(yaml("server:\n  flushCoalescing: 1s\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'server.flushCoalescing': must be 0..100ms");
        assertThatThrownBy(() -> loader.load(yaml("server:\n  port: 70000\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'server.port': must be 0..65535");
        assertThatThrownBy(() -> loader.load(Map.of("TICKWIRE_ENGINE_PARTITIONS", "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("TICKWIRE_ENGINE_PARTITIONS")
                .hasMessageContaining("engine.partitions");
        assertThatThrownBy(() -> loader.load(yaml("- a\n- b\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("mapping");
        assertThatThrownBy(() -> loader.load(dir.resolve("missing.yaml"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not found");
    }

    @Test
    void theStoreHasDocumentedDefaultsAndNamesBadValues() throws IOException {
        TickwireConfig config = loader.load(Map.of());
        assertThat(config.store().enabled()).isTrue();
        assertThat(config.store().dataDir()).isEqualTo("data");
        assertThat(config.store().commitInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.store().toSettings(dir).dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(config.withDataDir("/srv/history").store().toSettings(dir).dataDir()).isEqualTo(Path.of("/srv/history"));
        TickwireConfig changed = loader.load(Map.of("TICKWIRE_STORE_COMMIT_INTERVAL", "2s", "TICKWIRE_STORE_COMMIT_MODE", "sync"));
        assertThat(changed.store().toSettings(dir).commitInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(changed.store().toSettings(dir).commitMode().wireName()).isEqualTo("sync");
        assertThatThrownBy(() -> loader.load(yaml("store:\n  commitMode: sometimes\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.commitMode");
        assertThatThrownBy(() -> loader.load(yaml("store:\n  commitInterval: 5m\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'store.commitInterval': must be 10ms..60s");
        assertThatThrownBy(() -> loader.load(yaml("store:\n  queueCapacity: 10\n"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("store.queueCapacity");
    }

    @Test
    void theShippedDemoConfigurationLoads() {
        Path demo = Path.of(System.getProperty("user.dir")).getParent().resolve("config/demo.yaml");
        TickwireConfig config = loader.load(demo, Map.of());
        assertThat(config.server().host()).isEqualTo("127.0.0.1");
        assertThat(config.accounts()).singleElement().satisfies(a -> {
            assertThat(a.name()).isEqualTo("demo");
            assertThat(a.tokens()).allMatch(t -> t.startsWith("sha256:"));
        });
        assertThat(config.simulator().respectMarketHours()).isFalse();
    }

    @Test
    void theShippedClusterConfigurationsLoadAndTheStandbyBecomesAnIngestNodeByTwoVariables() {
        Path dir = Path.of(System.getProperty("user.dir")).getParent().resolve("config");
        assertThat(loader.load(dir.resolve("cluster-ingest.yaml"), Map.of()).cluster().ingest()).isTrue();
        assertThat(loader.load(dir.resolve("cluster-gateway.yaml"), Map.of()).store().enabled()).isFalse();
        TickwireConfig standby = loader.load(dir.resolve("cluster-standby.yaml"), Map.of());
        assertThat(standby.cluster().gateway()).isTrue();
        assertThat(standby.store().enabled()).isTrue();
        TickwireConfig promoted = loader.load(dir.resolve("cluster-standby.yaml"),
                Map.of("TICKWIRE_CLUSTER_ROLE", "ingest", "TICKWIRE_SIMULATOR_ENABLED", "true"));
        assertThat(promoted.cluster().ingest()).isTrue();
        assertThat(promoted.simulator().enabled()).isTrue();
        assertThat(promoted.store().dataDir()).isEqualTo(standby.store().dataDir());
    }

    @Test
    void anUnknownKeyIsCalledThatWithTheKeysThatExistAndNoJava() throws IOException {
        Path file = yaml("server:\n  bogus: 1\n");

        assertThatThrownBy(() -> loader.load(file, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": unknown key 'server.bogus' (keys under 'server': ")
                .hasMessageContaining("port, ")
                .hasMessageNotContaining("class").hasMessageNotContaining("io.tickwire").hasMessageNotContaining("ignorable");
        assertThatThrownBy(() -> loader.load(yaml("servre:\n  port: 1\n"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(": unknown key 'servre' (top-level keys: ").hasMessageContaining("server, ");
    }

    @Test
    void aValueARecordRefusesIsReportedAtItsOwnKeyAndVariable() {
        // the server's config refuses it in its constructor, where Jackson knows only 'server'
        assertThatThrownBy(() -> loader.load(Map.of("TICKWIRE_SERVER_PORT", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("defaults (with TICKWIRE_SERVER_PORT): invalid value at 'server.port': must be 0..65535, was 70000");
        assertThatThrownBy(() -> loader.load(Map.of("TICKWIRE_SERVER_PORT", "abc")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("defaults (with TICKWIRE_SERVER_PORT): invalid value at 'server.port': 'abc' is not a whole number");
    }

    @Test
    void aCommandLineValueReplacesTheEnvironmentsBeforeItIsChecked() {
        TickwireConfig config = loader.load(null, Map.of("TICKWIRE_SERVER_PORT", "abc"), Map.of("server.port", "18088"));

        assertThat(config.server().port()).isEqualTo(18088);
        assertThatThrownBy(() -> loader.load(null, Map.of("TICKWIRE_SERVER_PORT", "abc"), Map.of("server.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("defaults: invalid value at 'server.port': must be 0..65535, was 70000");
    }
}
