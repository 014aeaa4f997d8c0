package io.tickwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.cli.config.TickwireConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How serve, demo, replay and import combine the file, the environment and their flags. */
class ConfigFileTest {

    private static final Path DEMO = Path.of(System.getProperty("user.dir")).getParent().resolve("config/demo.yaml");

    @Test
    void portAndDataFlagsWinOverTheEnvironmentEvenWhenItHoldsNonsense() {
        TickwireConfig config = ConfigFile.load(DEMO, Map.of("TICKWIRE_SERVER_PORT", "abc",
                "TICKWIRE_STORE_DATA_DIR", ""), "/tmp/history", 18088);

        assertThat(config.server().port()).isEqualTo(18088);
        assertThat(config.store().dataDir()).isEqualTo("/tmp/history");
    }

    @Test
    void withoutFlagsTheEnvironmentStillApplies() {
        TickwireConfig config = ConfigFile.load(DEMO, Map.of("TICKWIRE_SERVER_PORT", "18089"), null, null);

        assertThat(config.server().port()).isEqualTo(18089);
    }
}
