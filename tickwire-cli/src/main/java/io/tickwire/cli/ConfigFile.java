package io.tickwire.cli;

import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.cli.config.TickwireConfig;
import java.nio.file.Path;

/**
 * Loads the configuration the way every server-side command does: {@code --config}, else
 * {@code $TICKWIRE_CONFIG}, else the built-in defaults; then {@code --data} and {@code --port}
 * when given.
 */
final class ConfigFile {

    private ConfigFile() {
    }

    /** The configuration file in use: {@code --config}, else {@code $TICKWIRE_CONFIG}, else none. */
    static Path resolve(Path config) {
        if (config == null && System.getenv("TICKWIRE_CONFIG") != null) {
            return Path.of(System.getenv("TICKWIRE_CONFIG"));
        }
        return config;
    }

    static TickwireConfig load(Path config, String dataDir, Integer port) {
        Path file = resolve(config);
        TickwireConfig loaded = new ConfigLoader().load(file, System.getenv());
        if (dataDir != null) {
            loaded = loaded.withDataDir(dataDir);
        }
        if (port != null) {
            loaded = loaded.withPort(port);
        }
        return loaded;
    }
}
