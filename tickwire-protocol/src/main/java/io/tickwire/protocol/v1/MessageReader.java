package io.tickwire.protocol.v1;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Side;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes server messages of the native protocol, for clients.
 *
 * <p>Stateless and thread-safe. Unknown fields are ignored and unknown message types come back
 * as {@link ServerMessage.Unknown}, so an older client keeps working against a newer server.
 */
public final class MessageReader {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * Decodes one text frame.
     *
     * @throws IllegalArgumentException if the text is not a JSON object with a string {@code type}
     */
    public ServerMessage read(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> m;
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object: " + abbreviate(text));
            }
            m = readObject(p, bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed server message: " + abbreviate(text), e);
        }
        Object type = m.get("type");
        if (!(type instanceof String t)) {
            throw new IllegalArgumentException("server message without a type: " + abbreviate(text));
        }
        return switch (t) {
            case "quote" -> new ServerMessage.Quote(str(m, "symbol"), num(m, "seq"), num(m, "ts"), num(m, "sent"),
                    Boolean.TRUE.equals(m.get("snapshot")), dec(m, "bid"), dec(m, "bidSize"), dec(m, "ask"),
                    dec(m, "askSize"), dec(m, "last"), dec(m, "volume"), optNum(m, "prevSeq"), idOf(m));
            case "book" -> new ServerMessage.Book(str(m, "symbol"), num(m, "seq"), optNum(m, "prevSeq"), num(m, "ts"),
                    num(m, "sent"), (int) num(m, "depth"), Boolean.TRUE.equals(m.get("snapshot")), levels(m, "bids"),
                    levels(m, "asks"), num(m, "checksum"), idOf(m));
            case "bar" -> new ServerMessage.Bar(str(m, "symbol"), num(m, "seq"), optNum(m, "prevSeq"), num(m, "ts"),
                    num(m, "sent"), Boolean.TRUE.equals(m.get("snapshot")), Periodicity.fromWire(str(m, "period")),
                    PriceType.fromWire(str(m, "priceType")), num(m, "time"), dec(m, "open"), dec(m, "high"),
                    dec(m, "low"), dec(m, "close"), dec(m, "volume"), num(m, "trades"), Boolean.TRUE.equals(m.get("closed")),
                    idOf(m));
            case "gap" -> new ServerMessage.Gap(str(m, "symbol"), Channel.fromWire(str(m, "channel")), period(m),
                    priceType(m), str(m, "reason"));
            case "trade" -> new ServerMessage.Trade(str(m, "symbol"), num(m, "seq"), num(m, "ts"), num(m, "sent"),
                    dec(m, "price"), dec(m, "size"), Side.fromWire(str(m, "side")), num(m, "tradeId"));
            case "heartbeat" -> new ServerMessage.Heartbeat(num(m, "time"), positions(m));
            case "resumed" -> new ServerMessage.Resumed(str(m, "symbol"), Channel.fromWire(str(m, "channel")),
                    period(m), priceType(m), str(m, "mode"), num(m, "after"), num(m, "replayed"), optNum(m, "missedFrom"),
                    optNum(m, "missedTo"));
            case "status" -> new ServerMessage.Status(str(m, "symbol"), Channel.fromWire(str(m, "channel")), period(m),
                    priceType(m), str(m, "state"), num(m, "lastTs"), num(m, "time"));
            case "reconnect" -> new ServerMessage.Reconnect(num(m, "afterMs"), (String) m.get("url"), str(m, "reason"));
            case "pong" -> new ServerMessage.Pong(idOf(m), (String) m.get("payload#raw"), num(m, "time"));
            case "taken" -> new ServerMessage.Taken(num(m, "frames"));
            case "publishing" -> new ServerMessage.Publishing(str(m, "account"), num(m, "maxFrameBytes"));
            case "error" -> new ServerMessage.Error(idOf(m), str(m, "code"), str(m, "message"),
                    m.containsKey("limit") ? num(m, "limit") : -1,
                    m.containsKey("retryAfterMs") ? num(m, "retryAfterMs") : -1);
            case "welcome" -> welcome(m);
            case "authenticated" -> authenticated(m);
            case "subscribed" -> new ServerMessage.Subscribed(idOf(m), streams(m), instruments(m), rejections(m));
            case "unsubscribed" -> new ServerMessage.Unsubscribed(idOf(m), streams(m), rejections(m));
            case "twoFactorRequired" -> new ServerMessage.TwoFactorRequired(idOf(m), strings(m.get("methods")),
                    m.containsKey("deadlineMs") ? num(m, "deadlineMs") : -1);
            case "credentialExpiring" -> new ServerMessage.CredentialExpiring(num(m, "expiresAt"),
                    m.containsKey("closeCode") ? (int) num(m, "closeCode") : 4006, str(m, "message"));
            case "emailRegistered" -> new ServerMessage.EmailRegistered(idOf(m), str(m, "email"));
            default -> new ServerMessage.Unknown(t, text);
        };
    }

    private static ServerMessage.Welcome welcome(Map<String, Object> m) {
        boolean authenticated = Boolean.TRUE.equals(m.get("authenticated"));
        List<String> methods = new ArrayList<>();
        long deadline = -1;
        if (m.get("auth") instanceof Map<?, ?> auth) {
            if (auth.get("methods") instanceof List<?> list) {
                list.forEach(x -> methods.add(String.valueOf(x)));
            }
            if (auth.get("deadlineMs") instanceof BigDecimal d) {
                deadline = d.longValue();
            }
        }
        return new ServerMessage.Welcome(str(m, "server"), str(m, "version"), (int) num(m, "protocol"),
                str(m, "session"), authenticated, (String) m.get("account"), List.copyOf(methods), deadline,
                num(m, "heartbeatMs"), (int) num(m, "maxFrameBytes"), m.containsKey("epoch") ? num(m, "epoch") : 0);
    }

    private static ServerMessage.Authenticated authenticated(Map<String, Object> m) {
        ServerMessage.Limits limits = null;
        if (m.get("limits") instanceof Map<?, ?> l) {
            @SuppressWarnings("unchecked")
            Map<String, Object> lm = (Map<String, Object>) l;
            List<Channel> channels = new ArrayList<>();
            if (lm.get("channels") instanceof List<?> list) {
                for (Object c : list) {
                    Channel channel = Channel.fromWire(String.valueOf(c));
                    if (channel != null) {
                        channels.add(channel);
                    }
                }
            }
            limits = new ServerMessage.Limits((int) num(lm, "maxConnections"), (int) num(lm, "maxSymbols"),
                    List.copyOf(channels), (int) num(lm, "requestsPerSecond"), strings(lm.get("instrumentSets")),
                    str(lm, "slowConsumer"), lm.get("requestBurst") instanceof Number burst ? burst.intValue() : 0);
        }
        ServerMessage.TwoFactorGrant grant = null;
        if (m.get("twoFactor") instanceof Map<?, ?> tf && tf.get("resumeToken") instanceof String token
                && tf.get("expiresAt") instanceof BigDecimal expires) {
            grant = new ServerMessage.TwoFactorGrant(token, expires.longValue());
        }
        return new ServerMessage.Authenticated(idOf(m), str(m, "account"), str(m, "plan"), limits, str(m, "scheme"),
                m.containsKey("expiresAt") ? num(m, "expiresAt") : -1, grant, Boolean.TRUE.equals(m.get("refreshed")));
    }

    private static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        if (list instanceof List<?> l) {
            l.forEach(x -> out.add(String.valueOf(x)));
        }
        return List.copyOf(out);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Map<String, Object> m, String field) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (m.get(field) instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> map) {
                    out.add((Map<String, Object>) map);
                }
            }
        }
        return out;
    }

    private static List<ServerMessage.StreamRef> streams(Map<String, Object> m) {
        List<ServerMessage.StreamRef> out = new ArrayList<>();
        for (Map<String, Object> o : objects(m, "subscriptions")) {
            out.add(new ServerMessage.StreamRef(str(o, "symbol"), Channel.fromWire(str(o, "channel")),
                    o.containsKey("depth") ? (int) num(o, "depth") : 0,
                    o.containsKey("period") ? Periodicity.fromWire(str(o, "period")) : null,
                    o.containsKey("priceType") ? PriceType.fromWire(str(o, "priceType")) : null,
                    o.containsKey("throttleMs") ? num(o, "throttleMs") : 0));
        }
        return List.copyOf(out);
    }

    private static List<ServerMessage.Level> levels(Map<String, Object> m, String field) {
        List<ServerMessage.Level> out = new ArrayList<>();
        if (m.get(field) instanceof List<?> list) {
            for (Object level : list) {
                if (level instanceof List<?> pair && pair.size() == 2
                        && pair.get(0) instanceof BigDecimal price && pair.get(1) instanceof BigDecimal size) {
                    out.add(new ServerMessage.Level(price, size));
                } else {
                    throw new IllegalArgumentException("field '" + field + "' holds a level that is not [price, size]");
                }
            }
        }
        return List.copyOf(out);
    }

    private static Periodicity period(Map<String, Object> m) {
        return m.containsKey("period") ? Periodicity.fromWire(str(m, "period")) : null;
    }

    private static PriceType priceType(Map<String, Object> m) {
        return m.containsKey("priceType") ? PriceType.fromWire(str(m, "priceType")) : null;
    }

    private static List<ServerMessage.StreamPosition> positions(Map<String, Object> m) {
        List<ServerMessage.StreamPosition> out = new ArrayList<>();
        for (Map<String, Object> o : objects(m, "streams")) {
            out.add(new ServerMessage.StreamPosition(str(o, "symbol"), Channel.fromWire(str(o, "channel")), period(o),
                    priceType(o), num(o, "seq"), num(o, "ts")));
        }
        return List.copyOf(out);
    }

    private static long optNum(Map<String, Object> m, String field) {
        return m.containsKey(field) ? num(m, field) : -1;
    }

    private static List<ServerMessage.InstrumentInfo> instruments(Map<String, Object> m) {
        List<ServerMessage.InstrumentInfo> out = new ArrayList<>();
        for (Map<String, Object> o : objects(m, "instruments")) {
            out.add(new ServerMessage.InstrumentInfo(str(o, "symbol"), AssetClass.fromWire(str(o, "assetClass")),
                    (int) num(o, "priceScale"), (int) num(o, "sizeScale")));
        }
        return List.copyOf(out);
    }

    private static List<ServerMessage.Rejection> rejections(Map<String, Object> m) {
        List<ServerMessage.Rejection> out = new ArrayList<>();
        for (Map<String, Object> o : objects(m, "rejected")) {
            Object channel = o.get("channel");
            out.add(new ServerMessage.Rejection(str(o, "symbol"),
                    channel == null ? null : Channel.fromWire(String.valueOf(channel)), str(o, "code"), str(o, "message")));
        }
        return List.copyOf(out);
    }

    private static String idOf(Map<String, Object> m) {
        Object id = m.get("id");
        if (id == null) {
            return null;
        }
        return id instanceof BigDecimal d ? d.toPlainString() : String.valueOf(id);
    }

    private static String str(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v == null ? null : String.valueOf(v);
    }

    private static long num(Map<String, Object> m, String field) {
        Object v = m.get(field);
        if (v instanceof BigDecimal d) {
            return d.longValue();
        }
        throw new IllegalArgumentException("field '" + field + "' is not a number: " + v);
    }

    private static BigDecimal dec(Map<String, Object> m, String field) {
        Object v = m.get(field);
        return v instanceof BigDecimal d ? d : null;
    }

    /**
     * Reads an object into a map of String, BigDecimal, Boolean, List and Map values. A field
     * named {@code payload} is also kept as raw JSON under {@code payload#raw}.
     */
    private static Map<String, Object> readObject(JsonParser p, byte[] bytes) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if ("payload".equals(name)) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                p.finishToken();
                int end = (int) p.currentLocation().getByteOffset();
                m.put("payload#raw", new String(bytes, start, end - start, StandardCharsets.UTF_8));
                continue;
            }
            m.put(name, readValue(p, t, bytes));
        }
        return m;
    }

    private static Object readValue(JsonParser p, JsonToken t, byte[] bytes) throws IOException {
        return switch (t) {
            case START_OBJECT -> readObject(p, bytes);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken item;
                while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(readValue(p, item, bytes));
                }
                yield list;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }
}
