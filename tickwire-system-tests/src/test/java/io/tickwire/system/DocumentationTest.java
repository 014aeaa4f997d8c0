package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The documents say what the code does: every code and key is documented, nothing documented is gone. */
class DocumentationTest {

    private static final Path DOCS = Distribution.ROOT.resolve("docs");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void protocolReferenceListsEveryErrorAndCloseCode() throws IOException {
        String protocol = Files.readString(DOCS.resolve("protocol.md"));
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(protocol).as("docs/protocol.md documents %s", code).contains("| `" + code.wire() + "` |");
        }
        for (CloseCode code : CloseCode.values()) {
            assertThat(protocol).as("docs/protocol.md documents %s", code).contains("| " + code.code() + " |");
        }
    }

    @Test
    void asyncApiErrorCodesMatchTheCode() throws IOException {
        JsonNode api = YAML.readTree(DOCS.resolve("asyncapi.yaml").toFile());
        assertThat(api.path("asyncapi").asText()).isEqualTo("3.0.0");
        List<String> documented = new ArrayList<>();
        api.at("/components/messages/error/payload/properties/code/enum").forEach(n -> documented.add(n.asText()));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).toList());
        // every message a channel lists is defined
        for (Map.Entry<String, JsonNode> channel : api.path("channels").properties()) {
            for (Map.Entry<String, JsonNode> message : channel.getValue().path("messages").properties()) {
                String name = message.getKey();
                assertThat(api.at("/components/messages/" + name).isMissingNode()).as("message %s defined", name).isFalse();
            }
        }
    }

    @Test
    void asyncApiDescribesThePublisherEndpointAsProtocolMdDoes() throws IOException {
        JsonNode api = YAML.readTree(DOCS.resolve("asyncapi.yaml").toFile());
        assertThat(api.at("/channels/native/address").asText()).isEqualTo(ServerConfig.defaults().nativePath());
        assertThat(api.at("/channels/publish/address").asText()).isEqualTo(ServerConfig.defaults().publishPath());
        // the codes a publisher can get are the ones its section of protocol.md names, every one a real code
        String protocol = Files.readString(DOCS.resolve("protocol.md"));
        String section = protocol.substring(protocol.indexOf("## Publishing events"),
                protocol.indexOf("\n## ", protocol.indexOf("## Publishing events") + 1));
        Set<String> wires = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        Matcher code = Pattern.compile("[`\"]([a-z_]+)[`\"]").matcher(section); // `code` or "code":"code" in an example
        while (code.find()) {
            if (wires.contains(code.group(1))) {
                named.add(code.group(1));
            }
        }
        Set<String> documented = new TreeSet<>();
        api.at("/components/messages/publishError/payload/properties/code/enum").forEach(n -> documented.add(n.asText()));
        assertThat(documented).isSubsetOf(wires).isEqualTo(named);
    }

    /**
     * Every JSON example of protocol.md that is a WebSocket message (it has an {@code op} or a
     * {@code type}) fits a message of asyncapi.yaml: its required fields are there and it has no
     * field the message does not declare. Not a full schema validation; it catches the drift.
     */
    @Test
    void protocolExamplesFitTheirAsyncApiMessages() throws IOException {
        JsonNode api = YAML.readTree(DOCS.resolve("asyncapi.yaml").toFile());
        String protocol = Files.readString(DOCS.resolve("protocol.md"));
        List<JsonNode> examples = new ArrayList<>();
        Matcher block = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(protocol);
        while (block.find()) {
            try (MappingIterator<JsonNode> values = JSON.readerFor(JsonNode.class).readValues(block.group(1))) {
                while (values.hasNext()) {
                    examples.add(values.next());
                }
            } catch (IOException fragmentOrEllipsis) {
                // a block with "…" in it is prose for people, not an example to check
            }
        }
        int checked = 0;
        for (JsonNode example : examples) {
            List<JsonNode> objects = new ArrayList<>();
            if (example.isArray()) {
                example.forEach(objects::add);
            } else {
                objects.add(example);
            }
            for (JsonNode object : objects) {
                String discriminator = object.has("op") ? "op" : object.has("type") ? "type" : null;
                if (discriminator == null) {
                    continue; // an HTTP body (/health, the OAuth2 exchange)
                }
                List<String> misfits = new ArrayList<>();
                boolean fits = false;
                for (JsonNode message : api.at("/components/messages")) {
                    JsonNode payload = resolve(api, message.path("payload"));
                    if (!object.path(discriminator).asText().equals(payload.at("/properties/" + discriminator + "/const").asText(null))) {
                        continue;
                    }
                    List<String> missing = new ArrayList<>();
                    payload.path("required").forEach(r -> {
                        if (!object.has(r.asText())) {
                            missing.add(r.asText());
                        }
                    });
                    List<String> undeclared = new ArrayList<>();
                    object.fieldNames().forEachRemaining(f -> {
                        if (!payload.path("properties").has(f)) {
                            undeclared.add(f);
                        }
                    });
                    fits |= missing.isEmpty() && undeclared.isEmpty();
                    misfits.add(message.path("name").asText() + ": missing " + missing + ", undeclared " + undeclared);
                }
                assertThat(fits).as("%s fits a message of asyncapi.yaml (%s)", object, misfits).isTrue();
                checked++;
            }
        }
        assertThat(checked).as("examples checked").isGreaterThan(40);
        assertThat(examples).as("the publisher's examples are among them")
                .anySatisfy(e -> assertThat(e.isArray() && e.path(0).path("op").asText().equals("trade")).isTrue());
    }

    private static JsonNode resolve(JsonNode api, JsonNode node) {
        String ref = node.path("$ref").asText("");
        return ref.startsWith("#/") ? api.at(ref.substring(1)) : node;
    }

    @Test
    void configurationReferenceListsEveryKey() throws IOException {
        String doc = Files.readString(DOCS.resolve("configuration.md"));
        JsonNode defaults = YAML.readTree(Distribution.ROOT.resolve(
                "tickwire-cli/src/main/resources/io/tickwire/cli/defaults.yaml").toFile());
        List<String> keys = new ArrayList<>();
        collect("", defaults, keys);
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            assertThat(doc).as("docs/configuration.md documents %s", key).contains("`" + key + "`");
        }
    }

    private static void collect(String prefix, JsonNode node, List<String> keys) {
        node.properties().forEach(e -> {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject() && !e.getValue().isEmpty()) {
                collect(path, e.getValue(), keys);
            } else if (e.getValue().isValueNode()) {
                keys.add(path);
            }
        });
    }
}
