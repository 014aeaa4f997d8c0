package io.tickwire.protocol.v1;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;

/**
 * Encodes client requests of the native protocol as JSON text. Stateless and thread-safe; used by
 * the SDK and by tests. Request ids are written as JSON strings.
 */
public final class CommandWriter {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private CommandWriter() {
    }

    /** {@code {"op":"auth","id":…,"token":…}}. */
    public static String auth(String id, String token) {
        return write(g -> {
            start(g, "auth", id);
            g.writeStringField("token", token);
        });
    }

    /** {@code {"op":"subscribe","id":…,"symbols":[…],"channels":[…]}}. */
    public static String subscribe(String id, Collection<String> symbols, Collection<Channel> channels) {
        return write(g -> {
            start(g, "subscribe", id);
            names(g, symbols, channels);
        });
    }

    /**
     * A subscribe with delivery options: {@code depth} (0: default), {@code throttleMs} (0: every
     * update), bar {@code periods} and {@code priceTypes} (null or empty: the defaults).
     */
    public static String subscribe(String id, Collection<String> symbols, Collection<Channel> channels, int depth,
                                   long throttleMs, Collection<Periodicity> periods, Collection<PriceType> priceTypes) {
        return subscribe(id, symbols, channels, depth, throttleMs, periods, priceTypes, null);
    }

    /** A subscribe with delivery options and, if {@code jwt} is not null, a JWT (Coinbase-style). */
    public static String subscribe(String id, Collection<String> symbols, Collection<Channel> channels, int depth,
                                   long throttleMs, Collection<Periodicity> periods, Collection<PriceType> priceTypes,
                                   String jwt) {
        return subscribe(id, symbols, channels, depth, throttleMs, periods, priceTypes, jwt, List.of());
    }

    /** A subscribe as above that also resumes the streams in {@code resumeFrom} after the sequence numbers given. */
    public static String subscribe(String id, Collection<String> symbols, Collection<Channel> channels, int depth,
                                   long throttleMs, Collection<Periodicity> periods, Collection<PriceType> priceTypes,
                                   String jwt, Collection<Command.ResumePoint> resumeFrom) {
        return subscribe(id, symbols, channels, depth, throttleMs, periods, priceTypes, jwt, resumeFrom, 0);
    }

    /**
     * A subscribe as above that, with {@code since} > 0 (event time, µs), starts the trade and bar
     * streams not named in {@code resumeFrom} with their history from that time on, then live.
     */
    public static String subscribe(String id, Collection<String> symbols, Collection<Channel> channels, int depth,
                                   long throttleMs, Collection<Periodicity> periods, Collection<PriceType> priceTypes,
                                   String jwt, Collection<Command.ResumePoint> resumeFrom, long since) {
        return write(g -> {
            start(g, "subscribe", id);
            names(g, symbols, channels);
            if (since > 0) {
                g.writeNumberField("since", since);
            }
            if (!resumeFrom.isEmpty()) {
                g.writeArrayFieldStart("resumeFrom");
                for (Command.ResumePoint r : resumeFrom) {
                    g.writeStartObject();
                    g.writeStringField("symbol", r.symbol());
                    g.writeStringField("channel", r.channel().wireName());
                    if (r.period() != null) {
                        g.writeStringField("period", r.period().wireName());
                    }
                    if (r.priceType() != null) {
                        g.writeStringField("priceType", r.priceType().wireName());
                    }
                    g.writeNumberField("seq", r.seq());
                    if (r.ts() > 0) {
                        g.writeNumberField("ts", r.ts());
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            if (jwt != null) {
                g.writeStringField("jwt", jwt);
            }
            if (depth > 0) {
                g.writeNumberField("depth", depth);
            }
            if (throttleMs > 0) {
                g.writeNumberField("throttleMs", throttleMs);
            }
            if (periods != null && !periods.isEmpty()) {
                g.writeArrayFieldStart("periods");
                for (Periodicity p : periods) {
                    g.writeString(p.wireName());
                }
                g.writeEndArray();
            }
            if (priceTypes != null && !priceTypes.isEmpty()) {
                g.writeArrayFieldStart("priceTypes");
                for (PriceType t : priceTypes) {
                    g.writeString(t.wireName());
                }
                g.writeEndArray();
            }
        });
    }

    /** {@code subscribe} carrying a JWT (which authenticates or refreshes the session first), or none if {@code jwt} is null. */
    public static String subscribe(String id, Collection<String> symbols, Collection<Channel> channels, String jwt) {
        return write(g -> {
            start(g, "subscribe", id);
            names(g, symbols, channels);
            if (jwt != null) {
                g.writeStringField("jwt", jwt);
            }
        });
    }

    /** {@code {"op":"snapshot","id":…,"symbol":…,"channel":…[,"period","priceType"]}}. */
    public static String snapshot(String id, String symbol, Channel channel, Periodicity period, PriceType priceType) {
        return write(g -> {
            start(g, "snapshot", id);
            g.writeStringField("symbol", symbol);
            g.writeStringField("channel", channel.wireName());
            if (period != null) {
                g.writeStringField("period", period.wireName());
            }
            if (priceType != null) {
                g.writeStringField("priceType", priceType.wireName());
            }
        });
    }

    /** {@code {"op":"auth","scheme":"hmac",…}}: a TickTrader HMAC login. */
    public static String authHmac(String id, String webApiId, String webApiKey, long timestamp, String signature) {
        return write(g -> {
            start(g, "auth", id);
            g.writeStringField("scheme", "hmac");
            g.writeStringField("webApiId", webApiId);
            g.writeStringField("webApiKey", webApiKey);
            g.writeNumberField("timestamp", timestamp);
            g.writeStringField("signature", signature);
        });
    }

    /** {@code {"op":"auth","scheme":"jwt","jwt":…}}. */
    public static String authJwt(String id, String jwt) {
        return write(g -> {
            start(g, "auth", id);
            g.writeStringField("scheme", "jwt");
            g.writeStringField("jwt", jwt);
        });
    }

    /** {@code {"op":"auth","scheme":"session","token":…}}: an OAuth2 session token. */
    public static String authSession(String id, String token) {
        return write(g -> {
            start(g, "auth", id);
            g.writeStringField("scheme", "session");
            g.writeStringField("token", token);
        });
    }

    /** {@code {"op":"twoFactor","code":…}}. */
    public static String twoFactor(String id, String code) {
        return write(g -> {
            start(g, "twoFactor", id);
            g.writeStringField("code", code);
        });
    }

    /** {@code {"op":"twoFactor","resume":…}}: resume an earlier verified second factor. */
    public static String twoFactorResume(String id, String resumeToken) {
        return write(g -> {
            start(g, "twoFactor", id);
            g.writeStringField("resume", resumeToken);
        });
    }

    /** {@code {"op":"registerEmail","email":…}}. */
    public static String registerEmail(String id, String email) {
        return write(g -> {
            start(g, "registerEmail", id);
            g.writeStringField("email", email);
        });
    }

    /** {@code {"op":"unsubscribe","id":…,"symbols":[…],"channels":[…]}}. */
    public static String unsubscribe(String id, Collection<String> symbols, Collection<Channel> channels) {
        return write(g -> {
            start(g, "unsubscribe", id);
            names(g, symbols, channels);
        });
    }

    /** {@code {"op":"ping","id":…,"payload":"…"}} with a string payload. */
    public static String ping(String id, String payload) {
        return write(g -> {
            start(g, "ping", id);
            if (payload != null) {
                g.writeStringField("payload", payload);
            }
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void start(JsonGenerator g, String op, String id) throws IOException {
        g.writeStringField("op", op);
        if (id != null) {
            g.writeStringField("id", id);
        }
    }

    private static void names(JsonGenerator g, Collection<String> symbols, Collection<Channel> channels) throws IOException {
        g.writeArrayFieldStart("symbols");
        for (String symbol : symbols) {
            g.writeString(symbol);
        }
        g.writeEndArray();
        if (channels != null && !channels.isEmpty()) {
            g.writeArrayFieldStart("channels");
            for (Channel channel : channels) {
                g.writeString(channel.wireName());
            }
            g.writeEndArray();
        }
    }
}
