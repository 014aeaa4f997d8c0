package io.tickwire.system;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The documents say what the code does: every code and key is documented, nothing documented is gone. */
class DocumentationTest {

    private static final Path DOCS = Distribution.ROOT.resolve("docs");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
        for (Map.Entry<String, JsonNode> message : api.at("/channels/native/messages").properties()) {
            String name = message.getKey();
            assertThat(api.at("/components/messages/" + name).isMissingNode()).as("message %s defined", name).isFalse();
        }
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
