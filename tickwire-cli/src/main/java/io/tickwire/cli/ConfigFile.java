package io.tickwire.cli;

import io.tickwire.cli.config.ConfigLoader;
import io.tickwire.cli.config.TickwireConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

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
        return load(resolve(config), System.getenv(), dataDir, port);
    }

    /**
     * Loads {@code file} (none: the defaults) with {@code env}; {@code --data} and {@code --port}
     * replace their keys before the values are checked, so a flag wins even over an environment
     * variable that could not be used ({@code TICKWIRE_SERVER_PORT=abc}).
     */
    static TickwireConfig load(Path file, Map<String, String> env, String dataDir, Integer port) {
        Map<String, String> flags = new LinkedHashMap<>();
        if (dataDir != null) {
            flags.put("store.dataDir", dataDir);
        }
        if (port != null) {
            flags.put("server.port", port.toString());
        }
        return new ConfigLoader().load(file, env, flags);
    }
}
