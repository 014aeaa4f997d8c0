package io.tickwire.protocol.v1;

import io.tickwire.model.AssetClass;
import io.tickwire.model.Channel;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Side;
import io.tickwire.protocol.ErrorCode;
import java.math.BigDecimal;
import java.util.List;

/**
 * A message from the server, as a client decodes it with {@link MessageReader}. Request ids here
 * are the id's value (the text of a string id, the digits of a numeric one). Prices and sizes are
 * exact {@link BigDecimal}s.
 */
public sealed interface ServerMessage {

    /**
     * Sent once, first, on every connection. {@code epoch} changes when the server restarts (it is
     * the server's start time in microseconds), so a client can tell a restart from a gap.
     */
    record Welcome(String server, String version, int protocol, String session, boolean authenticated,
                   String account, List<String> authMethods, long authDeadlineMs, long heartbeatMs,
                   int maxFrameBytes, long epoch) implements ServerMessage {
    }

    /**
     * The answer to a successful {@code auth} (or {@code twoFactor}), or the first message after a
     * handshake authentication. {@code scheme} is how the session authenticated; {@code expiresAt}
     * when its credential expires (microseconds; -1 if it does not); {@code twoFactor} the resume
     * token after a second factor, else {@code null}; {@code refreshed} marks an in-session refresh.
     */
    record Authenticated(String id, String account, String plan, Limits limits, String scheme, long expiresAt,
                         TwoFactorGrant twoFactor, boolean refreshed) implements ServerMessage {
        /** Without the credential details. */
        public Authenticated(String id, String account, String plan, Limits limits) {
            this(id, account, plan, limits, null, -1, null, false);
        }
    }

    /** A verified second factor: the token that resumes it on a later login, until {@code expiresAt} (microseconds). */
    record TwoFactorGrant(String resumeToken, long expiresAt) {
        @Override
        public String toString() {
            return "TwoFactorGrant[<redacted>, " + expiresAt + "]";
        }
    }

    /**
     * What the account's plan allows. {@code instrumentSets} are the asset classes included (empty:
     * all); {@code slowConsumer} the policy for a connection that falls behind ({@code null} if not
     * said); {@code requestBurst} how many requests may come at once before {@code requestsPerSecond}
     * paces them (0 if not said).
     */
    record Limits(int maxConnections, int maxSymbols, List<Channel> channels, int requestsPerSecond,
                  List<String> instrumentSets, String slowConsumer, int requestBurst) {
        /** Limits without instrument sets, slow-consumer policy and burst. */
        public Limits(int maxConnections, int maxSymbols, List<Channel> channels, int requestsPerSecond) {
            this(maxConnections, maxSymbols, channels, requestsPerSecond, List.of(), null, 0);
        }

        /** Limits without a burst (as a server older than the field sends them). */
        public Limits(int maxConnections, int maxSymbols, List<Channel> channels, int requestsPerSecond,
                      List<String> instrumentSets, String slowConsumer) {
            this(maxConnections, maxSymbols, channels, requestsPerSecond, instrumentSets, slowConsumer, 0);
        }
    }

    /** The first factor was accepted; the account needs a second one ({@code methods}: {@code totp}) within {@code deadlineMs}. */
    record TwoFactorRequired(String id, List<String> methods, long deadlineMs) implements ServerMessage {
    }

    /**
     * The session's credential expires at {@code expiresAt} (microseconds): authenticate again in the
     * session before then, or the server closes the connection with {@code closeCode} (4006).
     */
    record CredentialExpiring(long expiresAt, int closeCode, String message) implements ServerMessage {
    }

    /** The support e-mail was stored on the account. */
    record EmailRegistered(String id, String email) implements ServerMessage {
    }

    /** The answer to {@code subscribe}: what is now subscribed, what each symbol is, and what was refused. */
    record Subscribed(String id, List<StreamRef> subscriptions, List<InstrumentInfo> instruments,
                      List<Rejection> rejected) implements ServerMessage {
    }

    /** The answer to {@code unsubscribe}. */
    record Unsubscribed(String id, List<StreamRef> subscriptions, List<Rejection> rejected) implements ServerMessage {
    }

    /**
     * One subscribed stream: a symbol on a channel, with its book depth (0 if not a book), bar
     * period and price type (null if not a bar) and throttle (0: every update).
     */
    record StreamRef(String symbol, Channel channel, int depth, Periodicity period, PriceType priceType, long throttleMs) {
        /** A plain stream of a channel. */
        public StreamRef(String symbol, Channel channel) {
            this(symbol, channel, 0, null, null, 0);
        }
    }

    /** How to read an instrument's numbers. */
    record InstrumentInfo(String symbol, AssetClass assetClass, int priceScale, int sizeScale) {
    }

    /** One item of a request that was refused; {@code channel} is {@code null} when all channels are meant. */
    record Rejection(String symbol, Channel channel, String code, String message) {
    }

    /** The answer to {@code ping}; {@code payload} is the raw JSON the client sent, or {@code null}. */
    record Pong(String id, String payload, long time) implements ServerMessage {
    }

    /** Sent every heartbeat interval so a client can tell a dead link from a quiet market. */
    record Heartbeat(long time, List<StreamPosition> streams) implements ServerMessage {
        public Heartbeat {
            streams = List.copyOf(streams);
        }

        public Heartbeat(long time) {
            this(time, List.of());
        }
    }

    /**
     * Where a subscribed stream is: the last sequence number sent on it and that message's event
     * time (0 and 0 before any). {@code period}/{@code priceType} are set for bar streams only.
     */
    record StreamPosition(String symbol, Channel channel, Periodicity period, PriceType priceType, long seq, long ts) {
    }

    /**
     * How a stream that asked to resume starts; see {@code MessageWriter#resumed}.
     *
     * @param mode {@code exact}, {@code snapshot} or {@code gap}
     */
    record Resumed(String symbol, Channel channel, Periodicity period, PriceType priceType, String mode, long after,
                   long replayed, long missedFrom, long missedTo) implements ServerMessage {
    }

    /** A stream's source is {@code stale} (no event for the stale threshold) or {@code live} again. */
    record Status(String symbol, Channel channel, Periodicity period, PriceType priceType, String state, long lastTs,
                  long time) implements ServerMessage {
    }

    /** The server is draining: reconnect after {@code afterMs} (to {@code url} if not null) and resume. */
    record Reconnect(long afterMs, String url, String reason) implements ServerMessage {
    }

    /** On {@code /v1/publish}: the publisher was taken; what it sends from now on is ingested. */
    record Publishing(String account, long maxFrameBytes) implements ServerMessage {
    }

    /** On {@code /v1/publish}: the publisher's first {@code frames} frames were taken (or refused); cumulative. */
    record Taken(long frames) implements ServerMessage {
    }

    /**
     * An error. {@code code} is the wire code (see {@link ErrorCode}); {@code limit} and
     * {@code retryAfterMs} are present (non-negative) only for the codes that carry them.
     */
    record Error(String id, String code, String message, long limit, long retryAfterMs) implements ServerMessage {
        /** The code as an enum, or {@code null} if this client does not know it. */
        public ErrorCode errorCode() {
            return ErrorCode.fromWire(code);
        }
    }

    /**
     * A quote; {@code snapshot} marks the current value sent when a subscription starts or on
     * request (then {@code id} is the request's); {@code prevSeq} is -1 except on throttled streams.
     */
    record Quote(String symbol, long seq, long ts, long sent, boolean snapshot, BigDecimal bid, BigDecimal bidSize,
                 BigDecimal ask, BigDecimal askSize, BigDecimal last, BigDecimal volume, long prevSeq, String id)
            implements ServerMessage {
        /** A full-rate quote. */
        public Quote(String symbol, long seq, long ts, long sent, boolean snapshot, BigDecimal bid, BigDecimal bidSize,
                     BigDecimal ask, BigDecimal askSize, BigDecimal last, BigDecimal volume) {
            this(symbol, seq, ts, sent, snapshot, bid, bidSize, ask, askSize, last, volume, -1, null);
        }
    }

    /** A price level: price and aggregate size; size 0 in a change removes the level. */
    record Level(BigDecimal price, BigDecimal size) {
    }

    /**
     * A message of a depth-limited book stream: a snapshot (replace the book) or changes (apply,
     * then keep the best {@code depth} levels). In sync when {@code prevSeq <= lastSeq < seq}.
     */
    record Book(String symbol, long seq, long prevSeq, long ts, long sent, int depth, boolean snapshot,
                List<Level> bids, List<Level> asks, long checksum, String id) implements ServerMessage {
    }

    /** A bar, forming ({@code closed} false) or final; {@code prevSeq} is -1 except on throttled streams. */
    record Bar(String symbol, long seq, long prevSeq, long ts, long sent, boolean snapshot, Periodicity period,
               PriceType priceType, long time, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
               BigDecimal volume, long trades, boolean closed, String id) implements ServerMessage {
    }

    /** Updates of a stream were lost on the way to this client; a snapshot follows for quote, book and bar streams. */
    record Gap(String symbol, Channel channel, Periodicity period, PriceType priceType, String reason)
            implements ServerMessage {
        /** A gap of a stream other than bars. */
        public Gap(String symbol, Channel channel, String reason) {
            this(symbol, channel, null, null, reason);
        }
    }

    /** A trade. */
    record Trade(String symbol, long seq, long ts, long sent, BigDecimal price, BigDecimal size, Side side,
                 long tradeId) implements ServerMessage {
    }

    /** A message of a type this client does not know (sent by a newer server); its raw JSON. */
    record Unknown(String type, String json) implements ServerMessage {
    }
}
