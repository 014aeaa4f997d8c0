package io.tickwire.server.dialect.enterprise;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickwire.auth.Credential;
import io.tickwire.model.Channel;
import io.tickwire.model.Instrument;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.protocol.CloseCode;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.server.dialect.DialectHandler;
import io.tickwire.server.session.HandshakeCredentials;
import io.tickwire.server.session.Session;
import io.tickwire.server.session.SessionOutcome;
import io.tickwire.server.session.SessionServices;
import io.tickwire.server.session.StreamSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The enterprise compact dialect on one connection ({@code /enterprise/ws}, seed 003).
 *
 * <p>The session token from the OAuth2 exchange comes in the {@code X-ZUMO-AUTH} handshake
 * header; without a valid one the client gets an error and the connection closes (4002). Then:
 * {@code {"email":…}} registers the support e-mail, {@code "ping"} is answered {@code "pong"} (in
 * the form it came: bare text or a JSON string), and — Tickwire's addition, as the seed leaves it
 * open — {@code {"subscribe":[codes],"data":["quotes","series","ticks"],"bt":["1m"]}} and
 * {@code {"unsubscribe":[codes]}} choose the symbols. Errors are {@code {"error":code,"message":…}}
 * with the native protocol's stable codes. Confined to the connection's event loop.
 */
public final class EnterpriseProtocolHandler extends DialectHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> DATA = List.of("quotes", "series", "ticks");

    public EnterpriseProtocolHandler(SessionServices services, int format) {
        super(services, format);
    }

    @Override
    protected void opened(WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        String header = services.gate().auth().settings().sessionHeader();
        Credential credential = HandshakeCredentials.find(handshake.requestHeaders(), handshake.requestUri(), header);
        if (credential == null) {
            send(error(ErrorCode.AUTH_FAILED, "send the session token of the OAuth2 exchange in the " + header + " header"));
            session.close(CloseCode.AUTH_FAILED, CloseCode.AUTH_FAILED.reason());
            return;
        }
        SessionOutcome outcome = session.authenticate(credential);
        if (outcome instanceof SessionOutcome.Refused r) {
            send(error(r.code(), r.message()));
            CloseCode close = r.close() != null ? r.close() : CloseCode.AUTH_FAILED; // no login, no session here
            session.close(close, close.reason());
        } else if (!(outcome instanceof SessionOutcome.Authenticated)) {
            send(error(ErrorCode.AUTH_FAILED, "this account needs a second factor, which the enterprise format cannot give"));
            session.close(CloseCode.AUTH_FAILED, CloseCode.AUTH_FAILED.reason());
        }
        // authenticated: the seed's client speaks first (its e-mail)
    }

    @Override
    protected void received(String text) {
        // Every message is charged, "ping" included: each one costs an answer, so an uncharged ping
        // would be a free flood that never reaches the 4005 close. A heartbeat every 15 s (the seed's)
        // is far inside any plan's budget; it is refused only while the client is over it anyway.
        long retry = session.chargeRequest();
        if (retry >= 0) {
            if (session.state() != Session.State.CLOSED) {
                send(error(ErrorCode.RATE_LIMITED, "too many requests; retry after " + retry + " ms"));
            }
            return;
        }
        String trimmed = text.strip();
        if (trimmed.equals("ping") || trimmed.equals("\"ping\"")) {
            send(trimmed.equals("ping") ? "pong" : "\"pong\"");
            return;
        }
        JsonNode request;
        try {
            request = JSON.readTree(trimmed);
        } catch (JsonProcessingException e) {
            send(error(ErrorCode.MALFORMED_JSON, "not JSON: send \"ping\", {\"email\":…}, {\"subscribe\":[…]} or {\"unsubscribe\":[…]}"));
            return;
        }
        if (request == null || !request.isObject()) {
            send(error(ErrorCode.INVALID_MESSAGE, "expected \"ping\" or a JSON object"));
        } else if (request.has("email")) {
            email(request.get("email"));
        } else if (request.has("subscribe")) {
            subscribe(request);
        } else if (request.has("unsubscribe")) {
            unsubscribe(request);
        } else {
            send(error(ErrorCode.UNKNOWN_OP, "expected one of the fields email, subscribe, unsubscribe"));
        }
    }

    private void email(JsonNode email) {
        if (!email.isTextual()) {
            send(error(ErrorCode.INVALID_FIELD, "field 'email' must be a string"));
            return;
        }
        session.registerEmail(email.asText(), outcome -> {
            if (outcome instanceof SessionOutcome.EmailRegistered registered) {
                ObjectNode ok = JSON.createObjectNode();
                ok.put("email", registered.email()).put("registered", true);
                send(ok.toString());
            } else if (outcome instanceof SessionOutcome.Refused r) {
                send(error(r.code(), r.message()));
            }
        });
    }

    private void subscribe(JsonNode request) {
        List<String> symbols = symbols(request.get("subscribe"));
        List<String> data = symbols == null ? null : data(request.path("data"));
        List<Periodicity> periods = data == null ? null : periods(request.path("bt"));
        if (symbols == null || data == null || periods == null) {
            return; // answered
        }
        List<StreamSpec> specs = new ArrayList<>();
        for (String d : data) {
            switch (d) {
                case "quotes" -> specs.add(new StreamSpec(Channel.QUOTE, 0, 0, null, null));
                case "ticks" -> specs.add(new StreamSpec(Channel.TRADE, 0, 0, null, null));
                default -> periods.forEach(p -> specs.add(new StreamSpec(Channel.BAR, 0, 0, p, PriceType.LAST)));
            }
        }
        // unknown codes are refused one by one by the session, like entitlements: the others go ahead
        SessionOutcome outcome = session.subscribe(symbols, specs);
        if (outcome instanceof SessionOutcome.Refused r) {
            send(error(r.code(), r.message()));
            return;
        }
        SessionOutcome.Applied applied = (SessionOutcome.Applied) outcome;
        if (!applied.rejected().isEmpty()) {
            SessionOutcome.Rejected first = applied.rejected().get(0);
            send(error(first.code(), first.message()));
            if (applied.streams().isEmpty()) {
                return; // nothing subscribed: the error is the whole answer
            }
        }
        ObjectNode ok = JSON.createObjectNode();
        ArrayNode codes = ok.putArray("subscribed");
        applied.streams().stream().map(s -> s.instrument().symbol()).distinct().forEach(codes::add);
        ArrayNode kinds = ok.putArray("data");
        data.forEach(kinds::add);
        if (data.contains("series")) {
            ArrayNode bt = ok.putArray("bt");
            periods.forEach(p -> bt.add(p.wireName()));
        }
        send(ok.toString());
    }

    private void unsubscribe(JsonNode request) {
        List<Instrument> instruments = instruments(request.get("unsubscribe"));
        JsonNode dataNode = request.path("data");
        List<String> data = dataNode.isMissingNode() ? DATA : data(dataNode);
        if (instruments == null || data == null) {
            return;
        }
        List<Channel> channels = data.stream().map(d -> switch (d) {
            case "quotes" -> Channel.QUOTE;
            case "ticks" -> Channel.TRADE;
            default -> Channel.BAR;
        }).toList();
        session.unsubscribe(instruments.stream().map(Instrument::symbol).toList(), channels, null, null);
        ObjectNode ok = JSON.createObjectNode();
        ArrayNode codes = ok.putArray("unsubscribed");
        instruments.forEach(i -> codes.add(i.symbol()));
        send(ok.toString());
    }

    /**
     * The symbols of an array of codes ({@code AAPL} or {@code NASDAQ:AAPL}), known or not, or
     * {@code null} after answering a request that has no such array.
     */
    private List<String> symbols(JsonNode codes) {
        if (codes == null || !codes.isArray() || codes.isEmpty()) {
            send(error(ErrorCode.INVALID_FIELD, "expected a non-empty array of symbol codes"));
            return null;
        }
        Set<String> symbols = new LinkedHashSet<>();
        for (JsonNode code : codes) {
            String text = code.isTextual() ? code.asText() : "";
            symbols.add(text.substring(text.indexOf(':') + 1)); // the exchange prefix is optional
        }
        return new ArrayList<>(symbols);
    }

    /** The instruments of an array of codes ({@code AAPL} or {@code NASDAQ:AAPL}), or {@code null} after answering. */
    private List<Instrument> instruments(JsonNode codes) {
        List<String> symbols = symbols(codes);
        if (symbols == null) {
            return null;
        }
        List<Instrument> found = new ArrayList<>(symbols.size());
        for (String symbol : symbols) {
            Instrument instrument = symbol.isEmpty() || symbol.length() > 32 ? null : services.catalog().find(symbol);
            if (instrument == null) {
                send(error(ErrorCode.UNKNOWN_SYMBOL, "no instrument '" + (symbol.length() > 40 ? symbol.substring(0, 40) : symbol) + "'"));
                return null;
            }
            if (!found.contains(instrument)) {
                found.add(instrument);
            }
        }
        return found;
    }

    /** The data kinds asked for (all three when absent), or {@code null} after answering. */
    private List<String> data(JsonNode node) {
        if (node.isMissingNode()) {
            return DATA;
        }
        List<String> out = new ArrayList<>();
        if (node.isArray() && !node.isEmpty()) {
            for (JsonNode d : node) {
                if (!DATA.contains(d.asText()) || !d.isTextual()) {
                    out = null;
                    break;
                }
                out.add(d.asText());
            }
        } else {
            out = null;
        }
        if (out == null) {
            send(error(ErrorCode.UNKNOWN_CHANNEL, "field 'data' must be an array of \"quotes\", \"series\", \"ticks\""));
        }
        return out == null ? null : List.copyOf(new LinkedHashSet<>(out));
    }

    /** The series intervals ({@code 1m} when absent), or {@code null} after answering. */
    private List<Periodicity> periods(JsonNode node) {
        if (node.isMissingNode()) {
            return List.of(Periodicity.M1);
        }
        List<Periodicity> out = new ArrayList<>();
        JsonNode items = node.isTextual() ? JSON.createArrayNode().add(node.asText()) : node;
        if (items.isArray() && !items.isEmpty()) {
            for (JsonNode p : items) {
                Periodicity period = Periodicity.fromWire(p.asText());
                if (period == null) {
                    out = null;
                    break;
                }
                out.add(period);
            }
        } else {
            out = null;
        }
        if (out == null) {
            send(error(ErrorCode.UNKNOWN_PERIOD, "field 'bt' must name bar intervals: 1m 5m 15m 30m 1h 4h 1d 1w 1M"));
        }
        return out;
    }

    private static String error(ErrorCode code, String message) {
        ObjectNode e = JSON.createObjectNode();
        e.put("error", code.wire()).put("message", message);
        return e.toString();
    }

    // ---- Session.Protocol -----------------------------------------------------------------------

    @Override
    public ByteBuf error(String rawRequestId, ErrorCode code, String message) {
        return frame(error(code, message));
    }
}
