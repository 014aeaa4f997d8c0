package io.tickwire.server.bench;

import io.tickwire.server.session.auth.ServerAuth;
import io.tickwire.auth.Account;
import io.tickwire.auth.ConnectionPolicy;
import io.tickwire.auth.Plan;
import io.tickwire.auth.token.TokenAuthenticator;
import io.tickwire.auth.token.TokenHash;
import io.tickwire.engine.bus.InProcessBus;
import io.tickwire.model.AssetClass;
import io.tickwire.model.Bar;
import io.tickwire.model.Channel;
import io.tickwire.model.Clock;
import io.tickwire.model.Instrument;
import io.tickwire.model.InstrumentCatalog;
import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.server.ServerConfig;
import io.tickwire.server.TickwireServer;
import io.tickwire.server.history.ServerHistory;
import io.tickwire.store.BarPage;
import io.tickwire.store.BarQuery;
import io.tickwire.store.StoreSettings;
import io.tickwire.store.StoreStats;
import io.tickwire.store.questdb.QuestDbStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The history benchmarks of docs/benchmarks.md — not a test. Run with
 * {@code ./mvnw -pl tickwire-server test-compile exec:exec@history-bench} (after {@code ./tickwire build}).
 *
 * <ol>
 *   <li>Ingest while streaming: trades offered as fast as the engine takes them into a real server
 *       (in-process bus, one partition) whose engine taps into the embedded store, with one
 *       WebSocket client subscribed to every instrument; rounds of {@code ROUND_SECONDS}.
 *       Reported: trades/s the engine sequenced, committed to the store and streamed to the client;
 *       records the store dropped; the store's lag; heap and RSS.</li>
 *   <li>Bar queries over 10 million stored trades of one instrument: 1,000 one-minute bars computed
 *       from the trades when all 10 M lie in those 1,000 minutes (every trade aggregated) and when
 *       they are spread over 10,000 minutes; and 1,000 one-minute closed bars read as stored.
 *       Medians of {@code QUERY_RUNS} runs after two warm-ups.</li>
 * </ol>
 * The ingest scenarios: trades paced at 500,000/s with the client subscribed to all 50 instruments
 * (every trade streamed) and to one of them (a fiftieth streamed); paced at 1,000,000/s; unpaced
 * (as fast as the engine takes them: beyond what the store sustains, so the store drops and counts);
 * and unpaced without the store, for comparison.
 * Arguments: {@code quick} runs smaller sizes (a smoke check of the harness); {@code ingest} or
 * {@code queries} runs only that part.
 */
public final class HistoryBenchmark {

    private static final int INSTRUMENTS = 50;
    private static final String TOKEN = "bench-token";

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("quick");
        int rounds = quick ? 1 : 3;
        int roundSeconds = quick ? 3 : 10;
        long trades = quick ? 1_000_000 : 10_000_000;
        int queryRuns = quick ? 3 : 11;
        System.out.printf(Locale.ROOT, "Tickwire history benchmark: %s, %d cores, Java %s, max heap %d MB%n",
                System.getProperty("os.name") + " " + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                Runtime.version(), Runtime.getRuntime().maxMemory() >> 20);
        Path dir = Files.createTempDirectory("tickwire-bench");
        try {
            if (!Arrays.asList(args).contains("queries")) {
                ingest(dir.resolve("ingest-500k-all"), rounds, roundSeconds, true, INSTRUMENTS, 500_000);
                ingest(dir.resolve("ingest-500k-one"), rounds, roundSeconds, true, 1, 500_000);
                ingest(dir.resolve("ingest-1m-one"), rounds, roundSeconds, true, 1, 1_000_000);
                ingest(dir.resolve("ingest-max-one"), rounds, roundSeconds, true, 1, 0);
                ingest(dir.resolve("ingest-max-without-store"), rounds, roundSeconds, false, 1, 0);
            }
            if (!Arrays.asList(args).contains("ingest")) {
                queries(dir.resolve("queries"), trades, queryRuns);
            }
        } finally {
            delete(dir);
        }
    }

    // ---- 1. ingest while streaming ---------------------------------------------------------------

    private static void ingest(Path dir, int rounds, int roundSeconds, boolean withStore, int subscribed, long target)
            throws Exception {
        List<Instrument> list = new ArrayList<>();
        for (int i = 0; i < INSTRUMENTS; i++) {
            list.add(new Instrument(0, String.format(Locale.ROOT, "SYM%02d", i), AssetClass.CRYPTO, null, null, null, 2, 6, 10));
        }
        InstrumentCatalog catalog = InstrumentCatalog.of(list);
        Clock clock = Clock.system();
        try (QuestDbStore store = QuestDbStore.open(StoreSettings.defaults(dir), catalog, clock)) {
            InProcessBus bus = withStore ? new InProcessBus(catalog, clock, 1, 1 << 16, store)
                    : new InProcessBus(catalog, clock, 1, 1 << 16);
            TokenAuthenticator auth = TokenAuthenticator.builder().add(TokenHash.of(TOKEN), new Account("bench",
                    new Plan("bench", 5, ConnectionPolicy.REJECT_NEW, 100, EnumSet.of(Channel.TRADE), 100, 100))).build();
            TickwireServer server = TickwireServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPort(0)
                    .toBuilder().maxOutboundBytes(1L << 30).slowConsumerGrace(Duration.ofMinutes(5)).build(),
                    catalog, bus, ServerAuth.of(auth), clock, new ServerHistory(store.queries(), store::stats, false, 1, 16));
            try (CountingClient client = new CountingClient(URI.create("ws://127.0.0.1:" + server.port() + "/v1/ws"), TOKEN)) {
                if (subscribed > 0) {
                    client.send("{\"op\":\"subscribe\",\"symbols\":[" + String.join(",", list.subList(0, subscribed)
                            .stream().map(i -> "\"" + i.symbol() + "\"").toList()) + "],\"channels\":[\"trade\"]}");
                }
                Thread.sleep(500);
                List<double[]> results = new ArrayList<>();
                long seq = 0;
                long dropped0 = 0;
                for (int round = 0; round < rounds; round++) {
                    long accepted0 = bus.stats().eventsAccepted();
                    long committed0 = store.stats().committed();
                    long frames0 = client.frames();
                    long maxLag = 0;
                    long start = System.nanoTime();
                    long end = start + roundSeconds * 1_000_000_000L;
                    long next = start;
                    long seq0 = seq;
                    long now;
                    while ((now = System.nanoTime()) < end) {
                        if (target > 0 && seq - seq0 >= (now - start) * target / 1_000_000_000L) {
                            Thread.onSpinWait(); // paced: ahead of schedule
                            continue;
                        }
                        int id = (int) (seq % INSTRUMENTS);
                        Trade t = new Trade(id, 0, 0, 100_000_00 + (seq % 1_000), 1_000 + seq % 50,
                                (seq & 1) == 0 ? Side.BUY : Side.SELL, 0);
                        while (!bus.offer(t)) {
                            Thread.onSpinWait();
                        }
                        seq++;
                        if (now > next) {
                            maxLag = Math.max(maxLag, store.stats().lagMillis());
                            next += 100_000_000L;
                        }
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long accepted = bus.stats().eventsAccepted() - accepted0;
                    // what the store committed and the client received during the round, measured at its end
                    long committed = store.stats().committed() - committed0;
                    long frames = client.frames() - frames0;
                    StoreStats s = store.stats();
                    results.add(new double[] {accepted / seconds, committed / seconds, frames / seconds, s.dropped(), maxLag});
                    System.out.printf(Locale.ROOT, "  ingest round %d: engine %,.0f trades/s, store committed %,.0f/s,"
                                    + " client received %,.0f/s, dropped %d in the round, max store lag %d ms%n",
                            round + 1, accepted / seconds, committed / seconds, frames / seconds, s.dropped() - dropped0,
                            maxLag);
                    dropped0 = s.dropped();
                    store.flush(Duration.ofSeconds(60));
                }
                Runtime rt = Runtime.getRuntime();
                System.out.printf(Locale.ROOT, "INGEST " + (target > 0 ? String.format(Locale.ROOT, "paced at %,d/s", target)
                        : "unpaced") + (withStore ? " with the store" : " WITHOUT the store")
                        + ", client subscribed to " + subscribed + " of " + INSTRUMENTS + " instruments, median: engine %,.0f trades/s, store %,.0f/s, streamed %,.0f/s;"
                                + " dropped %d in all; heap used %d MB; %s; stored %,d trades%n",
                        median(results, 0), median(results, 1), median(results, 2), (long) results.get(results.size() - 1)[3],
                        (rt.totalMemory() - rt.freeMemory()) >> 20, rssMegabytes(), store.stats().committed());
            } finally {
                while (bus.stats().queuedEvents() > 0) {
                    Thread.onSpinWait(); // let the engine finish before its event loops go (see the report)
                }
                server.close();
                bus.close();
            }
        }
    }

    // ---- 2. bar queries over 10 M trades ----------------------------------------------------------

    private static void queries(Path dir, long trades, int runs) throws Exception {
        Instrument dense = new Instrument(0, "DENSE", AssetClass.CRYPTO, null, null, null, 2, 6, 10);
        Instrument spread = new Instrument(0, "SPREAD", AssetClass.CRYPTO, null, null, null, 2, 6, 10);
        Instrument closed = new Instrument(0, "CLOSED", AssetClass.CRYPTO, null, null, null, 2, 6, 10);
        InstrumentCatalog catalog = InstrumentCatalog.of(List.of(dense, spread, closed));
        dense = catalog.find("DENSE");
        spread = catalog.find("SPREAD");
        closed = catalog.find("CLOSED");
        long start = 1_700_000_000_000_000L - 1_700_000_000_000_000L % 60_000_000L;
        long minute = 60_000_000L;
        try (QuestDbStore store = QuestDbStore.open(StoreSettings.defaults(dir), catalog, Clock.system())) {
            long t0 = System.nanoTime();
            long denseStep = 1_000 * minute / trades;    // 10 M trades in 1,000 minutes
            long spreadStep = 10_000 * minute / trades;  // 10 M trades in 10,000 minutes
            for (long i = 0; i < trades; i++) {
                long price = 100_000_00 + (i * 7_919) % 10_000;
                store.append(new Trade(dense.id(), i + 1, start + i * denseStep, price, 1 + i % 50, Side.BUY, i + 1));
            }
            store.flush(Duration.ofMinutes(10));
            System.out.printf(Locale.ROOT, "  stored %,d trades (DENSE) in %.1f s: %,.0f trades/s appended and committed"
                    + " (store alone, blocking append)%n", trades, (System.nanoTime() - t0) / 1e9,
                    trades / ((System.nanoTime() - t0) / 1e9));
            for (long i = 0; i < trades; i++) {
                store.append(new Trade(spread.id(), i + 1, start + i * spreadStep, 100_000_00 + (i * 7_919) % 10_000,
                        1 + i % 50, Side.BUY, i + 1));
            }
            for (int m = 0; m < 1_000; m++) {
                store.onClosedBar(new Bar(closed.id(), m + 1, Periodicity.M1, PriceType.LAST, start + m * minute, 100_00,
                        101_00, 99_00, 100_50, 12_345, 42, start + m * minute + 59_000_000L, true));
            }
            store.flush(Duration.ofMinutes(10));
            long end = start + 1_000 * minute;
            Instrument d = dense;
            Instrument s = spread;
            Instrument c = closed;
            String n = String.format(Locale.ROOT, "%,d", trades);
            String tenth = String.format(Locale.ROOT, "%,d", trades / 10);
            report("1,000 x 1m bars computed from " + n + " trades (all in the window)", runs,
                    () -> store.queries().bars(new BarQuery(d, Periodicity.M1, PriceType.LAST, start, end, 1_000, false)));
            report("1,000 x 1m bars computed from the " + tenth + " trades in the window, of " + n + " stored", runs,
                    () -> store.queries().bars(new BarQuery(s, Periodicity.M1, PriceType.LAST, start, end, 1_000, false)));
            report("1,000 x 1m bars counted backwards from the end of " + n + " stored (" + tenth + " in the window)", runs,
                    () -> store.queries().bars(new BarQuery(s, Periodicity.M1, PriceType.LAST, 0,
                            start + 10_000 * minute, 1_000, true)));
            report("1,000 x 1m closed bars read as stored", runs,
                    () -> store.queries().bars(new BarQuery(c, Periodicity.M1, PriceType.LAST, start, end, 1_000, false)));
            report("1d bars computed from " + n + " trades", runs,
                    () -> store.queries().bars(new BarQuery(d, Periodicity.D1, PriceType.LAST, start - 86_400_000_000L,
                            end + 86_400_000_000L, 1_000, false)));
        }
    }

    private interface Query {
        BarPage run();
    }

    private static void report(String what, int runs, Query query) {
        query.run();
        query.run();
        List<Double> millis = new ArrayList<>();
        int bars = 0;
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            bars = query.run().bars().size();
            millis.add((System.nanoTime() - t) / 1e6);
        }
        millis.sort(Comparator.naturalOrder());
        System.out.printf(Locale.ROOT, "QUERY %s: median %.1f ms (min %.1f, max %.1f; %d bars, %d runs)%n", what,
                millis.get(millis.size() / 2), millis.get(0), millis.get(millis.size() - 1), bars, runs);
    }

    private static double median(List<double[]> rows, int column) {
        double[] values = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return values[values.length / 2];
    }

    /** Resident memory: total, of which anonymous (heap, native buffers) and file-backed (mapped table files). */
    private static String rssMegabytes() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            for (String key : new String[] {"VmRSS:", "RssAnon:", "RssFile:"}) {
                if (line.startsWith(key)) {
                    sb.append(sb.isEmpty() ? "" : " ").append(key.replace("Vm", "")).append(' ')
                            .append(Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024).append(" MB");
                }
            }
        }
        return sb.toString();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
