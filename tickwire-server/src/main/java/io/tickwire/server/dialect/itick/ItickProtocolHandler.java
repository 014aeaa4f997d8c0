package io.tickwire.server.dialect.itick;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.tickwire.auth.Credential;
import io.tickwire.auth.Plan;
import io.tickwire.model.AssetClass;
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
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The iTick dialect on one connection ({@code /itick/{cluster}}, seed 001): greets, authenticates
 * with the handshake's {@code token} header (closing after {@code auth failed}), and answers
 * {@code subscribe}, {@code unsubscribe} and {@code ping}.
 *
 * <p>The cluster names an asset class ({@code crypto}, {@code forex}, {@code stock}); only its
 * instruments can be subscribed, and only a plan that includes that asset class may connect to
 * it. A plan's connection limit counts per cluster (apart from the account's native, TickTrader
 * and enterprise connections), so a one-connection plan replaces the older connection to the
 * same cluster, as seed 001's advanced plan does. A subscribe is checked
 * whole before anything changes: one unknown symbol or type fails the request and subscribes
 * nothing. Confined to the connection's event loop.
 */
public final class ItickProtocolHandler extends DialectHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ItickProtocolHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** iTick sends five levels of depth. */
    static final int DEPTH = 5;

    private final String prefix;
    private AssetClass cluster;

    /**
     * @param prefix the route's path prefix, e.g. {@code /itick}; the cluster follows it
     */
    public ItickProtocolHandler(SessionServices services, int format, String prefix) {
        super(services, format);
        this.prefix = prefix;
    }

    /** The asset class of a cluster name, or {@code null}. */
    static AssetClass cluster(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "crypto" -> AssetClass.CRYPTO;
            case "forex", "fx" -> AssetClass.FX;
            case "stock", "stocks", "equity" -> AssetClass.EQUITY;
            default -> null;
        };
    }

    @Override
    protected void beforeStart(WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        String path = new QueryStringDecoder(handshake.requestUri()).path();
        String name = path.length() > prefix.length() + 1 ? path.substring(prefix.length() + 1) : "";
        cluster = cluster(name);
        if (cluster != null) {
            session.connectionScope("itick/" + cluster.wireName());
        }
    }

    @Override
    protected void opened(WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        send(ItickTexts.CONNECTED);
        Credential credential = HandshakeCredentials.find(handshake.requestHeaders(), handshake.requestUri(),
                services.gate().auth().settings().sessionHeader());
        if (cluster == null || credential == null) {
            LOG.info("session {}: iTick {}", session.id(), cluster == null ? "cluster unknown" : "handshake without a token");
            refuseAuth(CloseCode.AUTH_FAILED);
            return;
        }
        switch (session.authenticate(credential)) {
            case SessionOutcome.Authenticated a when !a.account().plan().entitles(cluster) -> {
                // The seed: "authorization controls which WebSocket clusters you can connect to".
                // A cluster whose asset class the plan has none of is refused like a bad token;
                // since connections count per cluster, admitting it would only add connections
                // to the account that can carry nothing. Closing releases the admission.
                LOG.info("session {}: iTick cluster {} refused: plan '{}' has no {} instruments", session.id(),
                        cluster.wireName(), a.account().plan().name(), cluster.wireName());
                refuseAuth(CloseCode.AUTH_FAILED, "not entitled to the " + cluster.wireName() + " cluster");
            }
            case SessionOutcome.Authenticated a -> send(ItickTexts.AUTHENTICATED);
            case SessionOutcome.Refused r -> refuseAuth(r.close() != null ? r.close() : CloseCode.AUTH_FAILED); // no login, no session
            default -> refuseAuth(CloseCode.AUTH_FAILED); // iTick has no second factor
        }
    }

    private void refuseAuth(CloseCode close) {
        refuseAuth(close, close.reason());
    }

    private void refuseAuth(CloseCode close, String reason) {
        send(ItickTexts.AUTH_FAILED);
        session.close(close, reason);
    }

    @Override
    protected void received(String text) {
        JsonNode request;
        try {
            request = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            request = null;
        }
        String ac = request != null && request.isObject() && request.path("ac").isTextual() ? request.get("ac").asText() : null;
        if (session.chargeRequest() >= 0) {
            if (session.state() != Session.State.CLOSED) {
                send(ItickTexts.failure(ac, "too many requests"));
            }
            return;
        }
        if (ac == null) {
            send(ItickTexts.failure(null, ItickTexts.UNRESOLVED));
            return;
        }
        switch (ac) {
            case "ping" -> {
                JsonNode params = request.get("params");
                send(ItickTexts.pong(params == null ? "null" : params.toString()));
            }
            case "subscribe" -> subscribe(request);
            case "unsubscribe" -> unsubscribe(request);
            default -> send(ItickTexts.failure(ac, ItickTexts.UNRESOLVED));
        }
    }

    private void subscribe(JsonNode request) {
        List<Instrument> instruments = instruments(request.path("params"));
        List<StreamSpec> specs = specs(request.path("types"));
        Plan plan = session.account() == null ? null : session.account().plan();
        if (instruments == null || specs == null || plan == null
                || !specs.stream().allMatch(spec -> plan.allows(spec.channel()))
                || !instruments.stream().allMatch(i -> plan.entitles(i.assetClass()))) {
            send(ItickTexts.failure("subscribe", ItickTexts.UNRESOLVED));
            return;
        }
        SessionOutcome outcome = session.subscribe(instruments.stream().map(Instrument::symbol).toList(), specs);
        if (outcome instanceof SessionOutcome.Refused r) {
            send(r.code() == ErrorCode.SYMBOL_LIMIT ? ItickTexts.OVER_LIMIT : ItickTexts.failure("subscribe", ItickTexts.UNRESOLVED));
        } else {
            send(ItickTexts.SUBSCRIBED);
        }
    }

    private void unsubscribe(JsonNode request) {
        List<Instrument> instruments = instruments(request.path("params"));
        JsonNode types = request.path("types");
        List<StreamSpec> specs = types.isMissingNode() ? allTypes() : specs(types);
        if (instruments == null || specs == null) {
            send(ItickTexts.failure("unsubscribe", ItickTexts.UNRESOLVED));
            return;
        }
        List<Channel> channels = specs.stream().map(StreamSpec::channel).distinct().toList();
        List<Periodicity> periods = specs.stream().filter(s -> s.period() != null).map(StreamSpec::period).distinct().toList();
        session.unsubscribe(instruments.stream().map(Instrument::symbol).toList(), channels, periods, List.of(PriceType.LAST));
        send(ItickTexts.UNSUBSCRIBED);
    }

    /** The instruments of a comma-separated {@code params}, or {@code null} if any is unknown or outside the cluster. */
    private List<Instrument> instruments(JsonNode params) {
        if (!params.isTextual()) {
            return null;
        }
        Set<Instrument> found = new LinkedHashSet<>();
        for (String name : params.asText().split(",")) {
            Instrument instrument = ItickSymbols.resolve(services.catalog(), name.strip());
            if (instrument == null || instrument.assetClass() != cluster) {
                return null;
            }
            found.add(instrument);
        }
        return found.isEmpty() ? null : new ArrayList<>(found);
    }

    /** The specs of comma-separated {@code types}, or {@code null} if any is unknown. */
    private static List<StreamSpec> specs(JsonNode types) {
        if (!types.isTextual() || types.asText().isBlank()) {
            return null;
        }
        Set<StreamSpec> specs = new LinkedHashSet<>();
        for (String raw : types.asText().split(",")) {
            StreamSpec spec = spec(raw.strip().toLowerCase(Locale.ROOT));
            if (spec == null) {
                return null;
            }
            specs.add(spec);
        }
        return new ArrayList<>(specs);
    }

    /** {@code tick}, {@code quote}, {@code depth}, or {@code kline@N} with an iTick period code (1, 2, 3, 4, 5, 8, 9, 10). */
    static StreamSpec spec(String type) {
        return switch (type) {
            case "tick" -> new StreamSpec(Channel.TRADE, 0, 0, null, null);
            case "quote" -> new StreamSpec(Channel.QUOTE, 0, 0, null, null);
            case "depth" -> new StreamSpec(Channel.BOOK, DEPTH, 0, null, null);
            default -> {
                if (!type.startsWith("kline@")) {
                    yield null;
                }
                Periodicity period;
                try {
                    period = Periodicity.fromItickCode(Integer.parseInt(type.substring(6)));
                } catch (NumberFormatException e) {
                    period = null;
                }
                yield period == null ? null : new StreamSpec(Channel.BAR, 0, 0, period, PriceType.LAST);
            }
        };
    }

    private static List<StreamSpec> allTypes() {
        List<StreamSpec> all = new ArrayList<>(List.of(spec("tick"), spec("quote"), spec("depth")));
        for (Periodicity p : Periodicity.values()) {
            if (p.itickCode() != 0) {
                all.add(spec("kline@" + p.itickCode()));
            }
        }
        return all;
    }

    // ---- Session.Protocol -----------------------------------------------------------------------

    @Override
    public ByteBuf error(String rawRequestId, ErrorCode code, String message) {
        return frame(ItickTexts.failure(null, message));
    }
}
