package io.tickwire.cli.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the configuration: built-in defaults, then the YAML file (objects merge, values and lists
 * replace), then environment variables ({@code TICKWIRE_} + the key path in upper snake case).
 *
 * <p>Stateless and thread-safe. Unknown keys, wrong types and invalid values fail with a
 * {@link ConfigException} that names the key.
 */
public final class ConfigLoader {

    /** The prefix of environment variables that override configuration values. */
    public static final String ENV_PREFIX = "TICKWIRE_";

    private final ObjectMapper yaml;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                try {
                    return DurationText.parse(p.getValueAsString());
                } catch (IllegalArgumentException e) {
                    throw JsonMappingException.from(p, e.getMessage());
                }
            }
        });
        this.yaml = new ObjectMapper(new YAMLFactory())
                .registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** The built-in defaults with the environment applied. */
    public TickwireConfig load(Map<String, String> env) {
        return load(null, env);
    }

    /**
     * Loads a configuration.
     *
     * @param file the YAML file, or {@code null} for defaults only
     * @param env  the environment (usually {@link System#getenv()})
     */
    public TickwireConfig load(Path file, Map<String, String> env) {
        return load(file, env, Map.of());
    }

    /**
     * Loads a configuration with command-line values on top.
     *
     * @param file  the YAML file, or {@code null} for defaults only
     * @param env   the environment (usually {@link System#getenv()})
     * @param flags values given on the command line, by key path ({@code server.port}); they replace
     *              the file's and the environment's before anything is checked, so a flag wins over
     *              an environment variable even when that variable holds nonsense
     */
    public TickwireConfig load(Path file, Map<String, String> env, Map<String, String> flags) {
        ObjectNode tree = defaults();
        String source = "defaults";
        if (file != null) {
            source = file.toString();
            if (!Files.isRegularFile(file)) {
                throw new ConfigException("configuration file not found: " + file.toAbsolutePath());
            }
            try {
                String text = Files.readString(file);
                // an empty file is far more likely a file cut short (or the wrong file) than a wish
                // for the defaults: serving on 0.0.0.0:8080 with the simulator on, silently, would
                // be the worst reading of it; and a reload would take every account away
                if (text.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"))) {
                    throw new ConfigException(file + ": the configuration file is empty or holds only comments"
                            + " (write '{}' to run on the built-in defaults, or give no configuration file)");
                }
                JsonNode user = yaml.readTree(text);
                if (user != null && !user.isMissingNode() && !user.isNull()) {
                    if (!user.isObject()) {
                        throw new ConfigException(file + ": the configuration must be a YAML mapping");
                    }
                    merge(tree, (ObjectNode) user);
                }
            } catch (JsonProcessingException e) {
                throw new ConfigException(file + ": not valid YAML: " + e.getOriginalMessage(), e);
            } catch (java.nio.file.AccessDeniedException e) {
                throw new ConfigException(file + ": cannot be read: permission denied", e);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new ConfigException(file + ": cannot be read: not UTF-8 text", e);
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
            }
        }
        List<String> applied = applyEnvironment(tree, "", env);
        flags.forEach((key, value) -> {
            set(tree, key, value);
            applied.remove(envName(key)); // replaced: the variable's value is not used, so not to blame
        });
        String where = source + (applied.isEmpty() ? "" : " (with " + String.join(", ", applied) + ")");
        try {
            TickwireConfig config = yaml.treeToValue(tree, TickwireConfig.class);
            return resolveFiles(config, file);
        } catch (UnrecognizedPropertyException e) {
            String key = keyOf(e.getPath());
            String parent = key.contains(".") ? key.substring(0, key.lastIndexOf('.')) : "";
            List<String> known = e.getKnownPropertyIds() == null ? List.of()
                    : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            throw new ConfigException(where + ": unknown key '" + key + "'"
                    + (known.isEmpty() ? "" : " (" + (parent.isEmpty() ? "top-level keys" : "keys under '" + parent + "'")
                    + ": " + String.join(", ", known) + ")"), e);
        } catch (JsonMappingException e) {
            String key = keyOf(e.getPath());
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String problem = e instanceof InvalidFormatException bad ? notA(bad)
                    : root instanceof JsonMappingException jm ? jm.getOriginalMessage() : root.getMessage();
            // A record that rejects one of its values does so in its constructor, so Jackson can only
            // point at the record ('server'); its message names the field ("server config: port must
            // be …", "store.commitInterval must be …"): point at that field's key instead
            Matcher named = NAMED_FIELD.matcher(problem == null ? "" : problem);
            if (named.matches()) {
                String field = named.group(1);
                String fieldKey = field.startsWith(key + ".") ? field : key + "." + field;
                if (at(tree, fieldKey) != null) {
                    key = fieldKey;
                    problem = named.group(2);
                }
            }
            throw new ConfigException(where + ": invalid value at '" + key + "': " + problem, e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
        }
    }

    /** "port must be …" or "server config: port must be …": the field named first, then the rest. */
    private static final Pattern NAMED_FIELD = Pattern.compile("(?:\\w+ config: )?([A-Za-z][\\w.]*) (.+)", Pattern.DOTALL);

    /**
     * Whether the file sets a top-level key itself (even to an empty list): a reload tells a file
     * that says {@code accounts: []} on purpose from one that lost its accounts.
     *
     * @throws ConfigException if the file does not load
     */
    public boolean setsKey(Path file, String key) {
        try {
            JsonNode user = yaml.readTree(file.toFile());
            return user != null && user.isObject() && user.has(key) && !user.get(key).isNull();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /** A key path as the documentation spells it: {@code server.port}, {@code accounts[0].name}. */
    private static String keyOf(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** A value of the wrong kind, said without Java's type names. */
    private static String notA(InvalidFormatException e) {
        Class<?> type = e.getTargetType();
        String value = "'" + e.getValue() + "'";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return value + " is not a whole number";
        }
        if (type == double.class || type == Double.class) {
            return value + " is not a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return value + " is not true or false";
        }
        return value + " is not a valid value: " + e.getOriginalMessage();
    }

    /** The node at a key path of the tree, or null. */
    private static JsonNode at(ObjectNode tree, String key) {
        JsonNode node = tree;
        for (String part : key.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    /** Sets the value at a key path, creating the objects on the way. */
    private static void set(ObjectNode tree, String key, String value) {
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.get(parts[i]) instanceof ObjectNode child ? child : node.putObject(parts[i]);
        }
        node.set(parts[parts.length - 1], TextNode.valueOf(value));
    }

    /** A relative {@code auth.credentialsFile} is relative to the configuration file's folder. */
    private static TickwireConfig resolveFiles(TickwireConfig config, Path file) {
        String credentials = config.auth().credentialsFile();
        if (file == null || credentials == null || credentials.isBlank() || Path.of(credentials).isAbsolute()) {
            return config;
        }
        Path base = file.toAbsolutePath().getParent();
        return config.withCredentialsFile(base.resolve(credentials).normalize().toString());
    }

    private ObjectNode defaults() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/io/tickwire/cli/defaults.yaml")) {
            return (ObjectNode) yaml.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("built-in defaults unreadable", e);
        }
    }

    /** Deep-merges {@code override} into {@code base}: objects merge, everything else replaces. */
    private static void merge(ObjectNode base, ObjectNode override) {
        for (Map.Entry<String, JsonNode> field : override.properties()) {
            JsonNode existing = base.get(field.getKey());
            if (existing instanceof ObjectNode existingObject && field.getValue() instanceof ObjectNode overrideObject) {
                merge(existingObject, overrideObject);
            } else {
                base.set(field.getKey(), field.getValue());
            }
        }
    }

    /** Replaces every scalar whose environment variable is set; returns the variables applied. */
    private static List<String> applyEnvironment(ObjectNode node, String prefix, Map<String, String> env) {
        List<String> applied = new ArrayList<>();
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            JsonNode value = node.get(name);
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            if (value instanceof ObjectNode child) {
                applied.addAll(applyEnvironment(child, path, env));
            } else if (value.isValueNode()) {
                String var = envName(path);
                String override = env.get(var);
                if (override != null) {
                    node.set(name, TextNode.valueOf(override));
                    applied.add(var);
                }
            }
        }
        return applied;
    }

    /** The environment variable for a key path: {@code server.authDeadline} → {@code TICKWIRE_SERVER_AUTH_DEADLINE}. */
    public static String envName(String path) {
        StringBuilder sb = new StringBuilder(ENV_PREFIX);
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '.' || c == '-') {
                sb.append('_');
            } else if (Character.isUpperCase(c) && i > 0 && path.charAt(i - 1) != '.') {
                sb.append('_').append(c);
            } else {
                sb.append(Character.toUpperCase(c));
            }
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }
}
