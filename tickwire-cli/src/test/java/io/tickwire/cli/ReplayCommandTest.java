package io.tickwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.auth.token.TokenHash;
import io.tickwire.cli.app.TickwireApp;
import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.feeds.catalog.DefaultCatalog;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tickwire replay --exit} on a real store: what it says when the range holds nothing. */
class ReplayCommandTest {

    private static final long T0 = Instant.parse("2025-11-20T10:00:00Z").getEpochSecond() * 1_000_000L;
    private static final Instrument BTC = DefaultCatalog.load().instruments().find("BTCUSDT");

    @TempDir
    Path dir;

    private Path config;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Three trades at T0 + 1, 2, 3 s, stored by a live app as a demo run would. */
    @BeforeEach
    void record() throws IOException {
        config = dir.resolve("replay.yaml");
        Files.writeString(config, """
                server: {host: 127.0.0.1, port: 0}
                simulator: {enabled: false}
                store: {dataDir: %s}
                plans:
                  p: {maxConnections: 5, onConnectionLimit: reject-new, maxSymbols: 10, channels: [quote, trade],
                      requestsPerSecond: 50, requestBurst: 50}
                accounts:
                  - {name: r, plan: p, tokens: ["%s"]}
                """.formatted(dir.resolve("data"), TokenHash.of("replay-token").toString()));
        try (TickwireApp live = TickwireApp.start(new ConfigLoader().load(config, Map.of()), Clock.system())) {
            for (int i = 1; i <= 3; i++) {
                while (!live.bus().offer(new Trade(BTC.id(), 0, T0 + i * 1_000_000L, 104_000_00 + i, 100, Side.BUY, 0))) {
                    Thread.onSpinWait();
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> live.store().stats().received() >= 3);
        } // a clean close commits everything
    }

    private int replay(String from, String to) {
        var cli = TickwireCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute("replay", "--config", config.toString(), "--from", from, "--to", to, "--speed", "max", "--exit");
    }

    @Test
    void aRangeOutsideTheStoredDataIsAWarningNamingWhatIsStored() {
        assertThat(replay("2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("replay finished: 0 events");
        assertThat(err.toString())
                .contains("tickwire replay: WARNING: no trades or quotes are stored between 2025-01-01T00:00:00")
                .contains("this replay sends nothing")
                .contains("holds 3 trades and 0 quotes from 2025-11-20T10:00:01")
                .contains(" to 2025-11-20T10:00:03")
                .contains("give --from and --to within that");
    }

    @Test
    void aRangeWithDataReplaysItWithoutAWarning() {
        assertThat(replay("2025-11-20T10:00:00Z", "2025-11-20T10:01:00Z")).as(err.toString()).isZero();

        assertThat(out.toString()).contains("replay finished: 3 events");
        assertThat(err.toString()).doesNotContain("WARNING");
    }
}
