package io.tickwire.protocol.v1;

import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.protocol.history.HistoryRequest;
import java.util.List;

/**
 * A request from a client, decoded. {@link #id()} is the request's {@code id} as raw JSON text
 * (a quoted string or an integer) so the answer can echo it byte for byte, or {@code null}.
 */
public sealed interface Command {

    /** The request id as raw JSON, or {@code null} when the request had none. */
    String id();

    /** {@code {"op":"auth","token":"…"}}: authenticate with an API token. */
    record Auth(String id, String token) implements Command {
        @Override
        public String toString() {
            return "Auth[id=" + id + ", token=<redacted>]";
        }
    }

    /** {@code {"op":"auth","scheme":"hmac","webApiId":…,"webApiKey":…,"timestamp":…,"signature":…}}: a TickTrader HMAC login. */
    record HmacAuth(String id, String webApiId, String webApiKey, String timestamp, String signature) implements Command {
        @Override
        public String toString() {
            return "HmacAuth[id=" + id + ", webApiId=" + webApiId + ", signature=<redacted>]";
        }
    }

    /** {@code {"op":"auth","scheme":"jwt","jwt":"…"}}: a JWT signed by the client's key. */
    record JwtAuth(String id, String jwt) implements Command {
        @Override
        public String toString() {
            return "JwtAuth[id=" + id + ", jwt=<redacted>]";
        }
    }

    /** {@code {"op":"auth","scheme":"session","token":"…"}}: an OAuth2 session token. */
    record SessionAuth(String id, String token) implements Command {
        @Override
        public String toString() {
            return "SessionAuth[id=" + id + ", token=<redacted>]";
        }
    }

    /**
     * {@code {"op":"twoFactor","code":"123456"}} or {@code {"op":"twoFactor","resume":"…"}}: the
     * second factor; exactly one of {@code code} and {@code resume} is set.
     */
    record TwoFactor(String id, String code, String resume) implements Command {
        @Override
        public String toString() {
            return "TwoFactor[id=" + id + ", <redacted>]";
        }
    }

    /** {@code {"op":"registerEmail","email":"…"}}: the account's support e-mail. */
    record RegisterEmail(String id, String email) implements Command {
    }

    /**
     * A request that carries a JWT as well (Coinbase clients send one with each subscribe): the
     * JWT authenticates or refreshes the session first, then {@code command} runs.
     */
    record WithJwt(String id, String jwt, Command command) implements Command {
        @Override
        public String toString() {
            return "WithJwt[jwt=<redacted>, " + command + "]";
        }
    }

    /**
     * How a subscription is delivered.
     *
     * @param depth        book levels per side (0: the default, 10, capped at the instrument's maximum)
     * @param throttleMs   at most one message per this many milliseconds for quotes, books and
     *                     bars (0: every update); one of {@link io.tickwire.model.Throttle#offered()}
     * @param periods      bar periods
     * @param priceTypes   bar price types
     */
    record Options(int depth, long throttleMs, List<Periodicity> periods, List<PriceType> priceTypes) {
        /** Every update, default depth, 1-minute last-price bars. */
        public static final Options DEFAULT = new Options(0, 0, List.of(Periodicity.M1), List.of(PriceType.LAST));

        public Options {
            periods = List.copyOf(periods);
            priceTypes = List.copyOf(priceTypes);
        }
    }

    /**
     * Where a reconnecting client left a stream: the last sequence number it saw and, for trades,
     * that message's event time (lets the server find older trades in the store; 0 if unknown).
     * {@code period} and {@code priceType} pick a bar stream ({@code null}: any).
     */
    record ResumePoint(String symbol, Channel channel, Periodicity period, PriceType priceType, long seq, long ts) {
        /** {@code seq} of a point that means "from event time {@code ts} on" (a subscribe's {@code since}). */
        public static final long SINCE_TIME = -2;
    }

    /**
     * {@code {"op":"subscribe","symbols":[…],"channels":[…], depth, throttleMs, periods, priceTypes,
     * resumeFrom}}; {@code resumeFrom} lists streams to resume after the sequence number given.
     */
    record Subscribe(String id, List<String> symbols, List<Channel> channels, Options options,
                     List<ResumePoint> resumeFrom) implements Command {
        public Subscribe {
            symbols = List.copyOf(symbols);
            channels = List.copyOf(channels);
            resumeFrom = List.copyOf(resumeFrom);
        }

        /** A subscription that resumes nothing. */
        public Subscribe(String id, List<String> symbols, List<Channel> channels, Options options) {
            this(id, symbols, channels, options, List.of());
        }

        /** A subscription with the default options. */
        public Subscribe(String id, List<String> symbols, List<Channel> channels) {
            this(id, symbols, channels, Options.DEFAULT);
        }
    }

    /**
     * {@code {"op":"unsubscribe","symbols":[…],"channels":[…]}}; for bars, {@code periods} and
     * {@code priceTypes} narrow it ({@code null}: every bar subscription of the symbol).
     */
    record Unsubscribe(String id, List<String> symbols, List<Channel> channels, List<Periodicity> periods,
                       List<PriceType> priceTypes) implements Command {
        public Unsubscribe {
            symbols = List.copyOf(symbols);
            channels = List.copyOf(channels);
            periods = periods == null ? null : List.copyOf(periods);
            priceTypes = priceTypes == null ? null : List.copyOf(priceTypes);
        }

        /** An unsubscribe of whole channels. */
        public Unsubscribe(String id, List<String> symbols, List<Channel> channels) {
            this(id, symbols, channels, null, null);
        }
    }

    /**
     * {@code {"op":"snapshot","symbol":…,"channel":…}}: the current value of a subscribed quote,
     * book or bar stream, sent in the stream; {@code period} and {@code priceType} pick a bar stream.
     */
    record Snapshot(String id, String symbol, Channel channel, Periodicity period, PriceType priceType)
            implements Command {
    }

    /** {@code {"op":"ping","payload":…}}: {@code payload} is any JSON value as raw text, or {@code null}. */
    record Ping(String id, String payload) implements Command {
    }

    /** {@code {"op":"history","kind":"bars"|"trades"|"quotes",…}}: a page of stored history. */
    record History(String id, HistoryRequest request) implements Command {
    }

    /** {@code {"op":"instruments"}}: every instrument with the time span of its stored history. */
    record Instruments(String id) implements Command {
    }
}
