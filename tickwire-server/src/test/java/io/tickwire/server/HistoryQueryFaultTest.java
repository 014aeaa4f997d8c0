package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.Clock;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Quote;
import io.tickwire.model.Trade;
import io.tickwire.protocol.ErrorCode;
import io.tickwire.protocol.history.HistoryRequest;
import io.tickwire.server.history.HistoryResult;
import io.tickwire.server.history.HistoryService;
import io.tickwire.server.history.ServerHistory;
import io.tickwire.store.BarPage;
import io.tickwire.store.BarQuery;
import io.tickwire.store.HistoryQueries;
import io.tickwire.store.InstrumentHistory;
import io.tickwire.store.StoreStats;
import io.tickwire.store.TickPage;
import io.tickwire.store.TickQuery;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A query that dies with an {@code Error} inside the store (exceptions are refusals already) is
 * still answered with {@code internal_error}, never left hanging: the connection counts it as in
 * flight until its answer comes. The store here is a stand-in that fails on purpose; the real one
 * cannot be made to fail on demand.
 */
class HistoryQueryFaultTest {

    /** A store whose every query dies, as a runaway bug in it would. */
    private static final class FailingStore implements HistoryQueries {
        @Override
        public BarPage bars(BarQuery query) {
            throw new StackOverflowError("a runaway recursion in the store");
        }

        @Override
        public TickPage<Trade> trades(TickQuery query) {
            throw new StackOverflowError("a runaway recursion in the store");
        }

        @Override
        public TickPage<Quote> quotes(TickQuery query) {
            throw new StackOverflowError("a runaway recursion in the store");
        }

        @Override
        public TickPage<io.tickwire.model.BookUpdate> books(TickQuery query) {
            throw new StackOverflowError("a runaway recursion in the store");
        }

        @Override
        public io.tickwire.model.BookUpdate bookBefore(io.tickwire.model.Instrument instrument, long time) {
            throw new StackOverflowError("a runaway recursion in the store");
        }

        @Override
        public List<InstrumentHistory> instruments() {
            return List.of();
        }
    }

    @Test
    void aQueryThatDiesIsAnsweredWithInternalError() throws Exception {
        try (HistoryService service = new HistoryService(new ServerHistory(new FailingStore(), StoreStats::disabled, false, 1, 4),
                TestServer.CATALOG, Clock.system())) {
            HistoryResult result = service.query(new HistoryRequest(HistoryRequest.Kind.BARS, "BTCUSDT", Periodicity.M1,
                    PriceType.LAST, 0, HistoryRequest.OPEN_END, 10, false, 0), TestServer.PRO).get(30, TimeUnit.SECONDS);
            assertThat(result).isInstanceOfSatisfying(HistoryResult.Refused.class,
                    r -> assertThat(r.code()).isEqualTo(ErrorCode.INTERNAL_ERROR));
        }
    }

    @Test
    void aResumeReadThatDiesStillEndsSoTheHeldStreamGoesOnWithItsGapNotice() throws Exception {
        try (HistoryService service = new HistoryService(new ServerHistory(new FailingStore(), StoreStats::disabled, false, 1, 4),
                TestServer.CATALOG, Clock.system())) {
            java.util.concurrent.CompletableFuture<List<Trade>> trades =
                    service.tradesBySeq(TestServer.CATALOG.find("BTCUSDT"), 1, 10, 1);
            assertThat(trades).failsWithin(30, TimeUnit.SECONDS)
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(StackOverflowError.class);
        }
    }
}
