package io.tickwire.server.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Golden comparison of a message Tickwire sent with a seed's example: the same field names at
 * every level, the same JSON types, and the same texts for every string the seed gives, except at
 * the paths named as values (symbols, ids, timestamps) that differ by nature.
 */
public final class SeedShapes {

    public static final ObjectMapper JSON = new ObjectMapper();

    private SeedShapes() {
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** Asserts {@code ours} has the seed example's shape and texts; {@code values} are paths like {@code data.s}. */
    public static void assertLike(String seed, String ours, String... values) {
        List<String> problems = new ArrayList<>();
        compare("", parse(seed), parse(ours), Set.of(values), problems);
        assertThat(problems).as("%s%n  against the seed's%n%s", ours, seed).isEmpty();
    }

    private static void compare(String path, JsonNode seed, JsonNode ours, Set<String> values, List<String> problems) {
        if (seed.getNodeType() != ours.getNodeType()) {
            problems.add(path + ": seed has " + seed.getNodeType() + ", Tickwire sent " + ours.getNodeType());
            return;
        }
        if (seed.isObject()) {
            Set<String> a = new TreeSet<>();
            seed.fieldNames().forEachRemaining(a::add);
            Set<String> b = new TreeSet<>();
            ours.fieldNames().forEachRemaining(b::add);
            if (!a.equals(b)) {
                problems.add(path + ": seed fields " + a + ", Tickwire sent " + b);
                return;
            }
            for (Iterator<String> it = seed.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                compare(path.isEmpty() ? name : path + "." + name, seed.get(name), ours.get(name), values, problems);
            }
        } else if (seed.isArray()) {
            if (!seed.isEmpty()) {
                for (JsonNode element : ours) {
                    compare(path + "[]", seed.get(0), element, values, problems);
                }
            }
        } else if (seed.isTextual() && !values.contains(path) && !seed.asText().equals(ours.asText())) {
            problems.add(path + ": seed says \"" + seed.asText() + "\", Tickwire sent \"" + ours.asText() + "\"");
        }
    }
}
