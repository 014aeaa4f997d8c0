package io.tickwire.protocol.v1;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Throttle;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.ProtocolException;
import io.tickwire.protocol.history.HistoryRequestParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decodes client requests of the native protocol.
 *
 * <p>Stateless and thread-safe. Unknown fields are ignored so that newer clients can talk to
 * older servers; every other deviation is a {@link ProtocolException} with a stable code.
 */
public final class CommandReader {

    /** At most this many symbols in one subscribe or unsubscribe. */
    public static final int MAX_SYMBOLS_PER_REQUEST = 1_000;
    /** The longest request id accepted, in characters of its JSON text. */
    public static final int MAX_ID_LENGTH = 64;
    /** The most {@code resumeFrom} entries one subscribe may carry. */
    public static final int MAX_RESUME_POINTS = 4_096;
    /** The channels of a subscribe that names none. */
    public static final List<Channel> DEFAULT_CHANNELS = List.of(Channel.QUOTE, Channel.TRADE);

    private static final int MAX_TOKEN_LENGTH = 4_096;
    private static final int MAX_JWT_LENGTH = 8_192;
    /** The fields of a history request, read as text (strings as they are, numbers as written). */
    private static final Set<String> HISTORY_FIELDS = Set.of("kind", "from", "to", "at",
            "count", "limit", "cursor");

    private final JsonFactory json = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).maxStringLength(65_536).build())
            .build();

    /** Decodes one text frame's UTF-8 bytes. */
    public Command read(byte[] frame, int offset, int length) throws ProtocolException {
        Fields fields = new Fields();
        try (JsonParser p = json.createParser(frame, offset, length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new ProtocolException(ErrorCode.MALFORMED_JSON, "empty frame", null);
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                expectEnd(p, null);
                throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "a request must be a JSON object", null);
            }
            readObject(p, frame, offset, fields);
            expectEnd(p, fields.id);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage(), fields.id);
        } catch (IOException e) {
            throw new ProtocolException(ErrorCode.MALFORMED_JSON, "unreadable frame: " + e.getMessage(), fields.id);
        }
        return toCommand(fields);
    }

    /** Decodes a request given as a string; for tests and tools. */
    public Command read(String frame) throws ProtocolException {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        return read(bytes, 0, bytes.length);
    }

    private static void expectEnd(JsonParser p, String id) throws IOException, ProtocolException {
        if (p.nextToken() != null) {
            throw new ProtocolException(ErrorCode.MALFORMED_JSON, "one JSON value per frame", id);
        }
    }

    /** What a request carried, before it is checked against its op. */
    private static final class Fields {
        String id;
        String op;
        boolean opWrongType;
        String token;
        List<String> symbols;
        List<String> channels;
        String payload;
        Long depth;
        Long throttleMs;
        List<String> periods;
        List<String> priceTypes;
        String symbol;
        String channel;
        String period;
        String priceType;
        // authentication (see authCommand): one field per scheme's part
        String scheme;
        String webApiId;
        String webApiKey;
        String timestamp;
        String signature;
        String jwt;
        String code;
        String resume;
        List<Command.ResumePoint> resumeFrom;
        Long since;
        String email;
        Map<String, String> history;
        String badField;
        String badFieldProblem;

        void bad(String field, String problem) {
            if (badField == null) {
                badField = field;
                badFieldProblem = problem;
            }
        }
    }

    private static void readObject(JsonParser p, byte[] frame, int offset, Fields f) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "op" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        f.op = p.getText();
                    } else {
                        f.opWrongType = true;
                        p.skipChildren();
                    }
                }
                case "id" -> readId(p, value, frame, offset, f);
                case "token" -> {
                    if (value == JsonToken.VALUE_STRING) {
                        f.token = p.getText();
                    } else {
                        f.bad("token", "must be a string");
                        p.skipChildren();
                    }
                }
                case "symbols" -> f.symbols = readNames(p, value, "symbols", f);
                case "channels" -> f.channels = readNames(p, value, "channels", f);
                case "payload" -> f.payload = rawValue(p, frame, offset);
                case "depth" -> f.depth = readInteger(p, value, "depth", f);
                case "throttleMs" -> f.throttleMs = readInteger(p, value, "throttleMs", f);
                case "periods" -> f.periods = readNames(p, value, "periods", f);
                case "priceTypes" -> f.priceTypes = readNames(p, value, "priceTypes", f);
                case "symbol" -> f.symbol = readString(p, value, "symbol", f);
                case "channel" -> f.channel = readString(p, value, "channel", f);
                case "period" -> f.period = readString(p, value, "period", f);
                case "priceType" -> f.priceType = readString(p, value, "priceType", f);
                case "scheme" -> f.scheme = text(p, value, "scheme", f);
                case "webApiId" -> f.webApiId = text(p, value, "webApiId", f);
                case "webApiKey" -> f.webApiKey = text(p, value, "webApiKey", f);
                case "signature" -> f.signature = text(p, value, "signature", f);
                case "jwt" -> f.jwt = text(p, value, "jwt", f);
                case "code" -> f.code = text(p, value, "code", f);
                case "resume" -> f.resume = text(p, value, "resume", f);
                case "resumeFrom" -> f.resumeFrom = readResumePoints(p, value, f);
                case "since" -> f.since = readInteger(p, value, "since", f);
                case "email" -> f.email = text(p, value, "email", f);
                case "timestamp" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_STRING) {
                        f.timestamp = p.getText();
                    } else {
                        f.bad("timestamp", "must be milliseconds since the epoch");
                        p.skipChildren();
                    }
                }
                default -> {
                    if (HISTORY_FIELDS.contains(name)) {
                        readScalar(p, value, name, f);
                    } else {
                        p.skipChildren();
                    }
                }
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonProcessingException("unexpected " + t) { };
        }
    }

    /**
     * {@code resumeFrom}: an array of {@code {"symbol","channel","seq"[,"ts","period","priceType"]}};
     * an entry with a bad field marks the whole field bad.
     */
    private static List<Command.ResumePoint> readResumePoints(JsonParser p, JsonToken value, Fields f) throws IOException {
        if (value != JsonToken.START_ARRAY) {
            f.bad("resumeFrom", "must be an array of {symbol, channel, seq}");
            p.skipChildren();
            return null;
        }
        List<Command.ResumePoint> points = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.START_OBJECT || points.size() >= MAX_RESUME_POINTS) {
                f.bad("resumeFrom", t != JsonToken.START_OBJECT ? "entries must be objects {symbol, channel, seq}"
                        : "at most " + MAX_RESUME_POINTS + " entries");
                p.skipChildren();
                continue;
            }
            String symbol = null;
            Channel channel = null;
            Periodicity period = null;
            PriceType priceType = null;
            long seq = -1;
            long ts = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                switch (name) {
                    case "symbol" -> symbol = v == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "channel" -> channel = v == JsonToken.VALUE_STRING ? Channel.fromWire(p.getText()) : null;
                    case "period" -> period = v == JsonToken.VALUE_STRING ? Periodicity.fromWire(p.getText()) : null;
                    case "priceType" -> priceType = v == JsonToken.VALUE_STRING ? PriceType.fromWire(p.getText()) : null;
                    case "seq" -> seq = isLong(p, v) ? p.getLongValue() : -1;
                    case "ts" -> ts = isLong(p, v) ? p.getLongValue() : -1;
                    default -> { }
                }
                p.skipChildren();
            }
            if (symbol == null || channel == null || seq < 0 || ts < 0) {
                f.bad("resumeFrom", "each entry needs a symbol, a known channel, a seq >= 0 and optionally ts (microseconds)");
                continue;
            }
            points.add(new Command.ResumePoint(symbol, channel, period, priceType, seq, ts));
        }
        return points;
    }

    /**
     * The explicit {@code resumeFrom} entries, then, with {@code since} (event time, µs), a
     * "from this time on" point per symbol for trades and bars: history then live in one subscription.
     */
    private static List<Command.ResumePoint> resumePoints(Fields f) throws ProtocolException {
        List<Command.ResumePoint> points = new ArrayList<>(f.resumeFrom == null ? List.of() : f.resumeFrom);
        if (f.since != null) {
            if (f.since <= 0) {
                throw new ProtocolException(ErrorCode.INVALID_TIMESTAMP, "since must be microseconds since the epoch",
                        f.id);
            }
            for (String symbol : symbols(f)) {
                for (Channel channel : List.of(Channel.TRADE, Channel.BAR)) {
                    points.add(new Command.ResumePoint(symbol, channel, null, null, Command.ResumePoint.SINCE_TIME,
                            f.since));
                }
            }
        }
        return points;
    }

    private static void readId(JsonParser p, JsonToken value, byte[] frame, int offset, Fields f) throws IOException {
        if (value == JsonToken.VALUE_STRING || value == JsonToken.VALUE_NUMBER_INT) {
            String raw = rawValue(p, frame, offset);
            if (raw.length() <= MAX_ID_LENGTH) {
                f.id = raw;
            } else {
                f.bad("id", "must be at most " + MAX_ID_LENGTH + " characters");
            }
        } else if (value != JsonToken.VALUE_NULL) {
            f.bad("id", "must be a string or an integer");
            p.skipChildren();
        }
    }

    /** A string field's text, or {@code null} (and the field marked bad) if it is not a string. */
    private static String text(JsonParser p, JsonToken value, String field, Fields f) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (value != JsonToken.VALUE_NULL) {
            f.bad(field, "must be a string");
            p.skipChildren();
        }
        return null;
    }

    /** A string or a number as text, for the history fields; {@code null} means absent. */
    private static void readScalar(JsonParser p, JsonToken value, String field, Fields f) throws IOException {
        switch (value) {
            case VALUE_STRING, VALUE_NUMBER_INT -> {
                if (f.history == null) {
                    f.history = new HashMap<>();
                }
                f.history.put(field, p.getText());
            }
            case VALUE_NULL -> {
                // same as absent
            }
            case VALUE_NUMBER_FLOAT -> f.bad(field, "must be an integer or a string");
            default -> {
                f.bad(field, "must be a string or a number");
                p.skipChildren();
            }
        }
    }

    /**
     * The exact JSON text of the current value, copied from the frame, which starts at
     * {@code offset} of {@code frame} (the parser counts its byte offsets from there).
     */
    private static String rawValue(JsonParser p, byte[] frame, int offset) throws IOException {
        int start = (int) p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        p.finishToken();
        int end = (int) p.currentLocation().getByteOffset();
        return new String(frame, offset + start, end - start, StandardCharsets.UTF_8);
    }

    private static Long readInteger(JsonParser p, JsonToken value, String field, Fields f) throws IOException {
        if (isLong(p, value)) {
            return p.getLongValue();
        }
        f.bad(field, value == JsonToken.VALUE_NUMBER_INT ? "is out of range" : "must be an integer");
        p.skipChildren();
        return null;
    }

    /** Whether the current value is an integer that fits a {@code long} (a bigger one is the field's fault, not the JSON's). */
    private static boolean isLong(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
    }

    private static String readString(JsonParser p, JsonToken value, String field, Fields f) throws IOException {
        if (value == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        f.bad(field, "must be a string");
        p.skipChildren();
        return null;
    }

    /** A list of names given as a JSON array of strings or as one comma-separated string. */
    private static List<String> readNames(JsonParser p, JsonToken value, String field, Fields f) throws IOException {
        List<String> names = new ArrayList<>();
        if (value == JsonToken.VALUE_STRING) {
            for (String part : p.getText().split(",", -1)) {
                names.add(part.trim());
            }
        } else if (value == JsonToken.START_ARRAY) {
            JsonToken item;
            while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
                if (item == JsonToken.VALUE_STRING) {
                    names.add(p.getText().trim());
                } else {
                    f.bad(field, "must be an array of strings");
                    p.skipChildren();
                }
            }
        } else {
            f.bad(field, "must be an array of strings");
            p.skipChildren();
            return null;
        }
        return names;
    }

    private static Command toCommand(Fields f) throws ProtocolException {
        if (f.op == null) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD,
                    f.opWrongType ? "field 'op' must be a string" : "field 'op' is required", f.id);
        }
        if (f.badField != null) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field '" + f.badField + "' " + f.badFieldProblem, f.id);
        }
        return switch (f.op) {
            case "auth" -> authCommand(f);
            case "subscribe" -> withJwt(f, new Command.Subscribe(f.id, symbols(f), channels(f), options(f),
                    resumePoints(f)));
            case "unsubscribe" -> withJwt(f, new Command.Unsubscribe(f.id, symbols(f), channels(f),
                    f.periods == null ? null : periods(f.periods, f.id),
                    f.priceTypes == null ? null : priceTypes(f.priceTypes, f.id)));
            case "snapshot" -> snapshot(f);
            case "ping" -> new Command.Ping(f.id, f.payload);
            case "twoFactor" -> twoFactorCommand(f);
            case "registerEmail" -> new Command.RegisterEmail(f.id, required(f, "email", f.email, 254));
            case "history" -> new Command.History(f.id, HistoryRequestParser.parse(name -> historyField(f, name), null, f.id));
            case "instruments" -> new Command.Instruments(f.id);
            default -> throw new ProtocolException(ErrorCode.UNKNOWN_OP, "unknown op '" + truncate(f.op)
                    + "'; expected auth, twoFactor, subscribe, unsubscribe, snapshot, history, instruments, ping or"
                    + " registerEmail", f.id);
        };
    }

    /** A field of a history request: the shared ones read for every op, the rest as text. */
    private static String historyField(Fields f, String name) {
        return switch (name) {
            case "symbol" -> f.symbol;
            case "period" -> f.period;
            case "priceType" -> f.priceType;
            default -> f.history == null ? null : f.history.get(name);
        };
    }

    /** {@code auth} in each scheme; {@code scheme} defaults to {@code token}. */
    private static Command authCommand(Fields f) throws ProtocolException {
        String scheme = f.scheme == null ? "token" : f.scheme;
        return switch (scheme) {
            case "token" -> {
                if (f.token == null || f.token.isEmpty()) {
                    throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'token' is required", f.id);
                }
                if (f.token.length() > MAX_TOKEN_LENGTH) {
                    throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'token' is too long", f.id);
                }
                yield new Command.Auth(f.id, f.token);
            }
            case "hmac" -> new Command.HmacAuth(f.id, required(f, "webApiId", f.webApiId, 256),
                    required(f, "webApiKey", f.webApiKey, 256), required(f, "timestamp", f.timestamp, 20),
                    required(f, "signature", f.signature, 256));
            case "jwt" -> new Command.JwtAuth(f.id, required(f, "jwt", f.jwt, MAX_JWT_LENGTH));
            case "session" -> new Command.SessionAuth(f.id, required(f, "token", f.token, MAX_TOKEN_LENGTH));
            default -> throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'scheme' must be token, hmac, jwt or session, was '"
                    + truncate(scheme) + "'", f.id);
        };
    }

    private static Command twoFactorCommand(Fields f) throws ProtocolException {
        if ((f.code == null) == (f.resume == null)) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "exactly one of the fields 'code' and 'resume' is required", f.id);
        }
        return f.code != null ? new Command.TwoFactor(f.id, required(f, "code", f.code, 16), null)
                : new Command.TwoFactor(f.id, null, required(f, "resume", f.resume, MAX_TOKEN_LENGTH));
    }

    private static Command withJwt(Fields f, Command command) throws ProtocolException {
        return f.jwt == null ? command : new Command.WithJwt(f.id, required(f, "jwt", f.jwt, MAX_JWT_LENGTH), command);
    }

    private static String required(Fields f, String field, String value, int maxLength) throws ProtocolException {
        if (value == null || value.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field '" + field + "' is required", f.id);
        }
        if (value.length() > maxLength) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field '" + field + "' is too long", f.id);
        }
        return value;
    }

    private static Command.Options options(Fields f) throws ProtocolException {
        int depth = 0;
        if (f.depth != null) {
            if (f.depth < 1 || f.depth > 4_095) {
                // the request-wide bound; each instrument's own maximum is checked per symbol later
                // (in 'rejected'), so this message must not promise that one
                throw new ProtocolException(ErrorCode.INVALID_DEPTH, "depth must be 1..4095, was " + f.depth
                        + " (each instrument's maximum book depth is checked per symbol)", f.id);
            }
            depth = f.depth.intValue();
        }
        long throttle = 0;
        if (f.throttleMs != null) {
            if (Throttle.classOf(f.throttleMs) < 0) {
                throw new ProtocolException(ErrorCode.INVALID_THROTTLE, "throttleMs must be one of " + Throttle.offered()
                        + ", was " + f.throttleMs, f.id);
            }
            throttle = f.throttleMs;
        }
        List<Periodicity> periods = f.periods == null ? Command.Options.DEFAULT.periods() : periods(f.periods, f.id);
        List<PriceType> types = f.priceTypes == null ? Command.Options.DEFAULT.priceTypes() : priceTypes(f.priceTypes, f.id);
        return new Command.Options(depth, throttle, periods, types);
    }

    private static List<Periodicity> periods(List<String> names, String id) throws ProtocolException {
        List<Periodicity> out = new ArrayList<>();
        for (String name : names) {
            Periodicity p = Periodicity.fromWire(name);
            if (p == null) {
                throw new ProtocolException(ErrorCode.UNKNOWN_PERIOD, "unknown period '" + truncate(name)
                        + "'; periods are 1m, 5m, 15m, 30m, 1h, 4h, 1d, 1w and 1M", id);
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'periods' must not be empty", id);
        }
        return out;
    }

    private static List<PriceType> priceTypes(List<String> names, String id) throws ProtocolException {
        List<PriceType> out = new ArrayList<>();
        for (String name : names) {
            PriceType t = PriceType.fromWire(name);
            if (t == null) {
                throw new ProtocolException(ErrorCode.UNKNOWN_PRICE_TYPE, "unknown price type '" + truncate(name)
                        + "'; price types are bid, ask and last", id);
            }
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        if (out.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'priceTypes' must not be empty", id);
        }
        return out;
    }

    private static Command.Snapshot snapshot(Fields f) throws ProtocolException {
        if (f.symbol == null || f.symbol.isBlank()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'symbol' is required", f.id);
        }
        if (f.channel == null) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'channel' is required", f.id);
        }
        Channel channel = Channel.fromWire(f.channel);
        if (channel == null) {
            throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "unknown channel '" + truncate(f.channel) + "'", f.id);
        }
        if (channel == Channel.TRADE) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "trades have no snapshot; ask for quote, book or bar", f.id);
        }
        Periodicity period = Periodicity.M1;
        PriceType type = PriceType.LAST;
        if (f.period != null) {
            period = periods(List.of(f.period), f.id).get(0);
        }
        if (f.priceType != null) {
            type = priceTypes(List.of(f.priceType), f.id).get(0);
        }
        return new Command.Snapshot(f.id, f.symbol.trim(), channel, period, type);
    }

    private static List<String> symbols(Fields f) throws ProtocolException {
        if (f.symbols == null || f.symbols.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'symbols' is required and must not be empty", f.id);
        }
        if (f.symbols.size() > MAX_SYMBOLS_PER_REQUEST) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD,
                    "field 'symbols' holds more than " + MAX_SYMBOLS_PER_REQUEST + " symbols", f.id);
        }
        return f.symbols;
    }

    private static List<Channel> channels(Fields f) throws ProtocolException {
        if (f.channels == null) {
            return DEFAULT_CHANNELS;
        }
        if (f.channels.isEmpty()) {
            throw new ProtocolException(ErrorCode.INVALID_FIELD, "field 'channels' must not be empty", f.id);
        }
        List<Channel> channels = new ArrayList<>(f.channels.size());
        for (String name : f.channels) {
            Channel channel = Channel.fromWire(name);
            if (channel == null) {
                throw new ProtocolException(ErrorCode.UNKNOWN_CHANNEL, "unknown channel '" + truncate(name) + "'", f.id);
            }
            if (!channels.contains(channel)) {
                channels.add(channel);
            }
        }
        return channels;
    }

    private static String truncate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
