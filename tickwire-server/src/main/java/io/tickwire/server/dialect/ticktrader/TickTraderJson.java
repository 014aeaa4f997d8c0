package io.tickwire.server.dialect.ticktrader;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;

/**
 * TickTrader's envelopes: {@code {"Id":…,"Response":name,"Result":{…}}} and
 * {@code {"Id":…,"Response":"Error","Error":text}}, with the request's {@code Id} echoed as the
 * client gave it (any JSON value). Stateless.
 */
final class TickTraderJson {

    /** Lenient about a trailing comma, as the seed's own resume example has one. */
    static final ObjectMapper MAPPER = JsonMapper.builder().enable(JsonReadFeature.ALLOW_TRAILING_COMMA).build();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TickTraderJson() {
    }

    /** A request parsed, or {@code null} if the text is not JSON. */
    static JsonNode parse(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    static ObjectNode object() {
        return NODES.objectNode();
    }

    /** A response with a result. */
    static String response(JsonNode id, String name, JsonNode result) {
        ObjectNode out = object();
        out.set("Id", id == null ? NullNode.getInstance() : id);
        out.put("Response", name);
        out.set("Result", result);
        return out.toString();
    }

    /** An error answering a request ({@code id} null when there was none). */
    static String error(JsonNode id, String text) {
        ObjectNode out = object();
        out.set("Id", id == null ? NullNode.getInstance() : id);
        out.put("Response", "Error");
        out.put("Error", text);
        return out.toString();
    }

    /** A decimal as a JSON number without exponent or trailing zeros. */
    static JsonNode number(BigDecimal value) {
        BigDecimal plain = value.stripTrailingZeros();
        return NODES.numberNode(plain.scale() < 0 ? plain.setScale(0) : plain);
    }

    /**
     * Whether a parameter is a whole number that fits a {@code long} ({@code 5} and {@code 5.0}
     * yes; {@code 5.5}, text and 2^64 no), so that {@link JsonNode#asLong()} reads it exactly.
     */
    static boolean isLong(JsonNode n) {
        return n.canConvertToExactIntegral() && n.canConvertToLong();
    }

    /** As {@link #isLong}, for an {@code int}: {@code 4294967297} is not 1. */
    static boolean isInt(JsonNode n) {
        return n.canConvertToExactIntegral() && n.canConvertToInt();
    }

    /** At most 32 characters of client text, for error messages. */
    static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }
}
