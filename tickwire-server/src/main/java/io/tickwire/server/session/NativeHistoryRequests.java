package io.tickwire.server.session;

import io.netty.channel.ChannelHandlerContext;
import io.tickwire.protocol.ByteSink;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.history.HistoryJsonWriter;
import io.tickwire.protocol.v1.Command;
import io.tickwire.protocol.v1.MessageWriter;
import io.tickwire.server.fanout.WebSocketFrames;
import io.tickwire.server.history.HistoryResult;
import io.tickwire.server.history.HistoryService;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native protocol's {@code history} and {@code instruments} requests on one connection.
 * History queries run on the {@link HistoryService}'s threads; the answer is encoded there and
 * written back on the connection's event loop, carrying the request's {@code id} (answers to
 * several requests in flight may arrive in any order). At most {@value #MAX_IN_FLIGHT} history
 * requests per connection are in flight; more get {@code server_busy}.
 *
 * <p>Confined to the connection's event loop, except the encoding on the query thread.
 */
final class NativeHistoryRequests {

    /** History requests one connection may have in flight. */
    static final int MAX_IN_FLIGHT = 4;

    private static final Logger LOG = LoggerFactory.getLogger(NativeHistoryRequests.class);
    private static final ThreadLocal<HistoryJsonWriter> JSON = ThreadLocal.withInitial(HistoryJsonWriter::new);
    private static final ThreadLocal<MessageWriter> ERRORS = ThreadLocal.withInitial(MessageWriter::new);

    private final HistoryService service;
    private int inFlight;

    HistoryService service() {
        return service;
    }

    NativeHistoryRequests(HistoryService service) {
        this.service = service;
    }

    /** A {@code history} request. */
    void history(Session session, ChannelHandlerContext ctx, Command.History command) {
        if (session.state() != Session.State.AUTHENTICATED) {
            send(session, ctx, ERRORS.get().error(command.id(), ErrorCode.NOT_AUTHENTICATED, "authenticate before asking for history"));
            return;
        }
        if (inFlight >= MAX_IN_FLIGHT) {
            send(session, ctx, ERRORS.get().error(command.id(), ErrorCode.SERVER_BUSY, "at most " + MAX_IN_FLIGHT
                    + " history requests may be in flight per connection; wait for an answer"));
            return;
        }
        inFlight++;
        service.query(command.request(), session.account().plan()).thenAccept(result -> {
            byte[] answer;
            try {
                answer = copy(encode(command.id(), result));
            } catch (RuntimeException e) {
                LOG.error("encoding a history answer failed", e);
                answer = copy(ERRORS.get().error(command.id(), ErrorCode.INTERNAL_ERROR, "the answer could not be encoded"));
            }
            byte[] frame = answer;
            try {
                ctx.executor().execute(() -> {
                    inFlight--;
                    session.send(WebSocketFrames.text(ctx.alloc(), frame, frame.length));
                });
            } catch (RejectedExecutionException e) {
                // the event loop is shutting down with the connection; nobody is left to answer
            }
        });
    }

    /** An {@code instruments} request: answered at once (what is stored is kept in memory). */
    void instruments(Session session, ChannelHandlerContext ctx, Command.Instruments command) {
        if (session.state() != Session.State.AUTHENTICATED) {
            send(session, ctx, ERRORS.get().error(command.id(), ErrorCode.NOT_AUTHENTICATED,
                    "authenticate before asking for instruments"));
            return;
        }
        HistoryService.Listings listings = service.instruments(session.account().plan());
        send(session, ctx, JSON.get().instruments(command.id(), listings.instruments(), listings.historyAvailable()));
    }

    private static ByteSink encode(String rawId, HistoryResult result) {
        return switch (result) {
            case HistoryResult.Bars b -> JSON.get().bars(rawId, b.instrument(), b.request(), b.bars(), b.next());
            case HistoryResult.Trades t -> JSON.get().trades(rawId, t.instrument(), t.request(), t.trades(), t.next());
            case HistoryResult.Quotes q -> JSON.get().quotes(rawId, q.instrument(), q.request(), q.quotes(), q.next());
            case HistoryResult.Refused r -> ERRORS.get().error(rawId, r.code(), r.message());
        };
    }

    private static byte[] copy(ByteSink sink) {
        return Arrays.copyOf(sink.array(), sink.length());
    }

    private static void send(Session session, ChannelHandlerContext ctx, ByteSink sink) {
        session.send(WebSocketFrames.text(ctx.alloc(), sink.array(), sink.length()));
    }
}
