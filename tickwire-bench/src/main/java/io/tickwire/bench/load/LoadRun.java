package io.tickwire.bench.load;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * One run of the generator against one server: connect and subscribe every subscriber, publish
 * open-loop through warm-up and the measured window, wait until every reading subscriber has
 * every trade (or the drain timeout passes), then check loss and order and read the server.
 *
 * <p>Nothing here waits by sleeping for something to happen: subscriptions are acknowledged
 * futures, the drain polls the subscribers' own counters. Timing decides only the figures.
 */
public final class LoadRun {

    /** Handshakes in flight at once while connecting: enough to be quick, few enough not to hit the server's backlog. */
    private static final int CONNECTING_AT_ONCE = 256;
    /** Admission control's close code: come back after the hinted delay. */
    private static final int TRY_AGAIN_LATER = 1013;
    /** Longer than the client's handshake timeout (30 s): the server said nothing at all. */
    private static final int SUBSCRIBE_TIMEOUT_SECONDS = 60;

    /** A stalled subscriber's socket receive buffer: small, so the server sees it fall behind within seconds. */
    private static final int STALLED_RECEIVE_BUFFER = 4_096;

    /** Runs so far in this process: each gets its own number (see {@link Adapter#forRun}). */
    private static final AtomicInteger RUNS = new AtomicInteger();

    private LoadRun() {
    }

    /** Runs once; {@code measureHeap} adds a full GC of the server before and after (for per-connection memory). */
    public static RunResult run(Adapter kind, RunSettings s, String label, boolean measureHeap) throws Exception {
        Adapter adapter = kind.forRun(RUNS.incrementAndGet());
        ServerProbe probe = new ServerProbe(s.serverPid());
        ServerProbe self = new ServerProbe(ProcessHandle.current().pid());
        long heapBefore = measureHeap ? probe.heapAfterGcBytes() : -1;
        long rssBefore = probe.rssBytes();
        Measurement measurement = new Measurement();
        ThreadLocal<TradeFrameParser> parsers = ThreadLocal.withInitial(() -> new TradeFrameParser(s.symbols()));
        List<SubscriberHandler> subscribers = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        // the publisher has an event loop of its own: on the subscribers' loops its writes waited
        // behind their reading, which put the generator's own queueing into every latency
        try (Connector connector = new Connector(s.threads()); Connector publisherLoop = new Connector(1)) {
            connect(adapter, s, connector, measurement, parsers, subscribers, channels);
            Publisher publisher = new Publisher(adapter, s.symbols(), publisherLoop, "127.0.0.1");
            try {
                publisher.connect();
                long start = BenchClock.micros() + 100_000;
                long measureStart = start + s.warmup().toNanos() / 1_000;
                long end = measureStart + s.measure().toNanos() / 1_000;
                measurement.window(measureStart, end);
                CompletableFuture<Void> publishing = s.rate() > 0
                        ? CompletableFuture.runAsync(() -> publisher.run(s.rate(), start, end))
                        : CompletableFuture.completedFuture(null);
                parkUntil(measureStart);
                for (int c = 0; c < s.stalled(); c++) {
                    subscribers.get(c).stall(channels.get(c));
                }
                double cpuStart = probe.cpuSeconds();
                double selfStart = self.cpuSeconds();
                parkUntil(end);
                double cpuEnd = probe.cpuSeconds();
                double selfEnd = self.cpuSeconds();
                long rss = probe.rssBytes();
                publishing.get(s.measure().toSeconds() + s.warmup().toSeconds() + 60, TimeUnit.SECONDS);
                long[] published = publisher.published();
                drain(connector, subscribers, s.stalled(), published, s.drainTimeout().toNanos());
                Histogram h = measurement.take();
                long received = 0;
                long lost = 0;
                long outOfOrder = 0;
                List<Integer> closes = new ArrayList<>();
                List<String> irregularities = new ArrayList<>();
                long earlier = 0;
                for (int c = 0; c < subscribers.size(); c++) {
                    SubscriberHandler sub = subscribers.get(c);
                    if (c < s.stalled()) {
                        closes.add(sub.closeCode); // read before the run closes the channels
                        continue;
                    }
                    received += sub.check.received();
                    String irregular = sub.check.firstIrregularity(published, sub.symbols);
                    if (irregular != null && irregularities.size() < 5) {
                        irregularities.add("subscriber " + c + ", " + irregular + ", close code " + sub.closeCode);
                    }
                    lost += sub.check.lost(published, sub.symbols);
                    outOfOrder += sub.check.outOfOrder();
                    earlier += sub.check.fromEarlierRun();
                }
                if (earlier > 0) {
                    irregularities.add(earlier + " messages of an earlier run (stamped before this one began) received and ignored");
                }
                long heapAfter = measureHeap ? probe.heapAfterGcBytes() : -1;
                double seconds = s.measure().toNanos() / 1e9;
                double cpu = cpuStart < 0 || cpuEnd < 0 ? -1 : (cpuEnd - cpuStart) / seconds;
                long total = 0;
                for (long p : published) {
                    total += p;
                }
                return new RunResult(adapter.name(), label, s.connections(), s.rate(), measurement.delivered() / seconds,
                        pct(h, 50), pct(h, 90), pct(h, 99), pct(h, 99.9), h.getTotalCount() == 0 ? 0 : h.getMaxValue(),
                        h.getTotalCount(), distribution(h), total, received, lost, outOfOrder, closes, cpu, (selfEnd - selfStart) / seconds, rss,
                        heapBefore, heapAfter, rssBefore, irregularities);
            } finally {
                publisher.close();
                Connector.closeAll(channels);
            }
        }
    }

    private static void connect(Adapter adapter, RunSettings s, Connector connector, Measurement measurement,
                                ThreadLocal<TradeFrameParser> parsers, List<SubscriberHandler> subscribers,
                                List<Channel> channels) throws Exception {
        Fleet fleet = new Fleet(adapter, s, connector, measurement, parsers);
        Semaphore inFlight = new Semaphore(CONNECTING_AT_ONCE);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        try {
            for (int c = 0; c < s.connections(); c++) {
                inFlight.acquire();
                CompletableFuture<Void> done = new CompletableFuture<>();
                done.whenComplete((v, e) -> inFlight.release());
                fleet.attempt(c, 1, done);
                ready.add(done);
            }
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        } finally {
            fleet.handOver(subscribers, channels);
        }
    }

    /**
     * The subscribers being connected: slot {@code c} holds subscriber {@code c}'s latest attempt.
     * A connection admission control turns away ({@code 1013}, "retry after N ms") is tried again
     * after N ms, as the SDK does, up to {@link #MAX_ATTEMPTS} times; anything else unanswered
     * fails the run. Attempts run on the event loops and timer threads; each slot is written
     * before its subscriber's {@code done} completes, which the connecting thread waits for.
     */
    private static final class Fleet {
        private static final int MAX_ATTEMPTS = 20;
        private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+) ms");

        private final Adapter adapter;
        private final RunSettings s;
        private final Connector connector;
        private final Measurement measurement;
        private final ThreadLocal<TradeFrameParser> parsers;
        private final SubscriberHandler[] handlers;
        private final Channel[] opened;

        Fleet(Adapter adapter, RunSettings s, Connector connector, Measurement measurement,
              ThreadLocal<TradeFrameParser> parsers) {
            this.adapter = adapter;
            this.s = s;
            this.connector = connector;
            this.measurement = measurement;
            this.parsers = parsers;
            this.handlers = new SubscriberHandler[s.connections()];
            this.opened = new Channel[s.connections()];
        }

        void attempt(int c, int attempt, CompletableFuture<Void> done) {
            try {
                // a stalled subscriber takes every symbol, so it falls behind as fast as the run allows
                int symbolCount = s.symbols().size();
                boolean stalled = c < s.stalled();
                int[] mine = new int[stalled ? symbolCount : s.symbolsPerConnection()];
                List<String> names = new ArrayList<>();
                for (int k = 0; k < mine.length; k++) {
                    mine[k] = stalled ? k : (c * s.symbolsPerConnection() + k) % symbolCount;
                    names.add(s.symbols().get(mine[k]));
                }
                SubscriberHandler handler = new SubscriberHandler(adapter, names, mine, parsers, measurement, symbolCount,
                        stalled);
                String source = "127.0.0." + (2 + c % Math.max(1, s.sourceAddresses()));
                handlers[c] = handler;
                opened[c] = connector.connect(adapter, adapter.subscribeUri(names), adapter.subscribeHeaders(), source,
                                handler, stalled ? STALLED_RECEIVE_BUFFER : 0)
                        .addListener(f -> {
                            if (!f.isSuccess()) {
                                handler.subscribed.completeExceptionally(f.cause());
                            }
                        }).channel();
                // registered after the slots are written, so whoever completes `done` has seen them
                handler.subscribed.whenComplete((v, e) -> settled(c, attempt, handler, e, done));
                // a subscription the server never answers fails the run instead of stalling it for ever
                CompletableFuture.delayedExecutor(SUBSCRIBE_TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(() ->
                        handler.subscribed.completeExceptionally(new IllegalStateException("subscriber " + c
                                + " not subscribed within " + SUBSCRIBE_TIMEOUT_SECONDS + " s (close code "
                                + handler.closeCode + ")")));
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }

        private void settled(int c, int attempt, SubscriberHandler handler, Throwable failure, CompletableFuture<Void> done) {
            if (failure == null) {
                done.complete(null);
                return;
            }
            Matcher hint = handler.closeReason == null ? null : RETRY_AFTER.matcher(handler.closeReason);
            if (handler.closeCode == TRY_AGAIN_LATER && attempt < MAX_ATTEMPTS && hint != null && hint.find()) {
                long waitMillis = Long.parseLong(hint.group(1));
                CompletableFuture.delayedExecutor(waitMillis, TimeUnit.MILLISECONDS).execute(() -> attempt(c, attempt + 1, done));
            } else {
                done.completeExceptionally(failure);
            }
        }

        /** Gives the run every subscriber and channel, in subscriber order. */
        void handOver(List<SubscriberHandler> subscribers, List<Channel> channels) {
            for (int c = 0; c < handlers.length; c++) {
                if (handlers[c] != null) {
                    subscribers.add(handlers[c]);
                    channels.add(opened[c]);
                }
            }
        }
    }

    /** Polls the reading subscribers' counters (on their own event loops) until all have everything. */
    private static void drain(Connector connector, List<SubscriberHandler> subscribers, int stalled, long[] published,
                              long timeoutNanos) throws Exception {
        long deadline = System.nanoTime() + timeoutNanos;
        while (true) {
            connector.quiesce();
            boolean complete = true;
            for (int c = stalled; c < subscribers.size() && complete; c++) {
                SubscriberHandler sub = subscribers.get(c);
                complete = sub.check.complete(published, sub.symbols);
            }
            if (complete || System.nanoTime() > deadline) {
                return;
            }
            LockSupport.parkNanos(20_000_000);
        }
    }

    private static void parkUntil(long micros) {
        long now;
        while ((now = BenchClock.micros()) < micros) {
            LockSupport.parkNanos((micros - now) * 1_000);
        }
    }

    private static double pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
    }

    private static List<double[]> distribution(Histogram h) {
        List<double[]> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            points.add(new double[] {v.getPercentileLevelIteratedTo(), v.getValueIteratedTo()});
            if (v.getPercentileLevelIteratedTo() >= 99.999) {
                break;
            }
        }
        return points;
    }
}
