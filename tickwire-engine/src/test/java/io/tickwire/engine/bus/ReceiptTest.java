package io.tickwire.engine.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tickwire.engine.EventTap;
import io.tickwire.engine.RecordingDelivery;
import io.tickwire.engine.TestInstruments;
import io.tickwire.engine.ingest.Receipt;
import io.tickwire.model.MarketEvent;
import io.tickwire.model.Side;
import io.tickwire.model.Trade;
import io.tickwire.testkit.ManualClock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Receipts through the in-process bus: behind a source's events, through every partition and the tap. */
class ReceiptTest {

    /** A tap keeping events elsewhere: records what it is shown, holds receipts until told to release them. */
    private static final class KeepingTap implements EventTap {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<Receipt> held = new CopyOnWriteArrayList<>();
        final AtomicLong losses = new AtomicLong();

        @Override
        public void onEvent(MarketEvent event) {
            seen.add("trade " + event.instrumentId() + "/" + event.seq());
        }

        @Override
        public boolean keepsElsewhere() {
            return true;
        }

        @Override
        public void onReceipt(Receipt receipt) {
            seen.add("receipt");
            receipt.hold();
            held.add(receipt);
        }

        @Override
        public long losses() {
            return losses.get();
        }

        void releaseAll() {
            held.forEach(Receipt::release);
            held.clear();
        }
    }

    @Test
    void withoutATapThatKeepsEventsElsewhereAReceiptSettlesKeptAsItIsOfferedOnTheOfferingThread() {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus(TestInstruments.catalog(2), new ManualClock(), 2, 1024)) {
            bus.start(partition -> new RecordingDelivery());
            Receipt receipt = bus.issueReceipt(outcome -> outcomes.add(outcome + " on " + Thread.currentThread().getName()));
            assertThat(bus.offerWithoutWake(trade(0))).isTrue();
            bus.offerReceipt(receipt);
            assertThat(outcomes).containsExactly("KEPT on " + Thread.currentThread().getName());
        }
    }

    @Test
    void aReceiptComesToTheTapBehindTheEventsOfferedBeforeItAndSettlesKeptOnlyOnceTheTapReleasesIt() {
        KeepingTap tap = new KeepingTap();
        List<Receipt.Outcome> outcomes = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus(TestInstruments.catalog(1), new ManualClock(), 1, 1024, tap)) {
            bus.start(partition -> new RecordingDelivery());
            Receipt receipt = bus.issueReceipt(outcomes::add);
            for (int i = 0; i < 100; i++) {
                assertThat(bus.offerWithoutWake(trade(0))).isTrue();
            }
            bus.offerReceipt(receipt);
            bus.handOver();
            await().until(() -> tap.held.size() == 1);
            assertThat(tap.seen).hasSize(101).endsWith("receipt");
            assertThat(tap.seen.get(99)).isEqualTo("trade 0/100");
            assertThat(outcomes).as("held by the tap: not settled").isEmpty();

            tap.releaseAll();
            await().until(() -> !outcomes.isEmpty()); // the partition's own release may come just after the tap's
            assertThat(outcomes).containsExactly(Receipt.Outcome.KEPT);
        }
    }

    @Test
    void aReceiptWaitsForEveryPartitionToShowItToTheTap() {
        KeepingTap tap = new KeepingTap();
        List<Receipt.Outcome> outcomes = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus(TestInstruments.catalog(3), new ManualClock(), 3, 1024, tap)) {
            bus.start(partition -> new RecordingDelivery());
            Receipt receipt = bus.issueReceipt(outcomes::add);
            for (int id = 0; id < 3; id++) {
                assertThat(bus.offerWithoutWake(trade(id))).isTrue();
            }
            bus.offerReceipt(receipt);
            bus.handOver();
            await().until(() -> tap.held.size() == 3);
            assertThat(tap.seen).filteredOn("receipt"::equals).hasSize(3);
            assertThat(tap.seen).contains("trade 0/1", "trade 1/1", "trade 2/1");
            tap.held.remove(2).release();
            tap.held.remove(1).release();
            assertThat(outcomes).as("one partition's tap still holds it").isEmpty();
            tap.releaseAll();
            await().until(() -> !outcomes.isEmpty());
            assertThat(outcomes).containsExactly(Receipt.Outcome.KEPT);
        }
    }

    @Test
    void aReceiptAFullPartitionHasNoRoomForSettlesRefusedAndOfferedAgainLaterSettlesKept() {
        KeepingTap tap = new KeepingTap();
        List<Receipt.Outcome> outcomes = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus(TestInstruments.catalog(1), new ManualClock(), 1, 1024, tap)) {
            Receipt receipt = bus.issueReceipt(outcomes::add);
            int offered = 0;
            while (bus.offerWithoutWake(trade(0))) { // not started yet: nothing drains the queue
                offered++;
            }
            bus.offerReceipt(receipt);
            assertThat(outcomes).containsExactly(Receipt.Outcome.REFUSED);

            bus.start(partition -> new RecordingDelivery());
            int events = offered;
            await().until(() -> tap.seen.size() == events); // the queue has room again
            bus.offerReceipt(receipt.again());
            bus.handOver();
            await().until(() -> tap.held.size() == 1);
            assertThat(tap.seen).hasSize(offered + 1).endsWith("receipt");
            tap.releaseAll();
            await().until(() -> outcomes.size() == 2);
            assertThat(outcomes).containsExactly(Receipt.Outcome.REFUSED, Receipt.Outcome.KEPT);
        }
    }

    @Test
    void aReceiptWhoseWindowSawTheTapLoseEventsSettlesLostAndTheNextOneKept() {
        KeepingTap tap = new KeepingTap();
        List<String> outcomes = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus(TestInstruments.catalog(1), new ManualClock(), 1, 1024, tap)) {
            bus.start(partition -> new RecordingDelivery());
            Receipt first = bus.issueReceipt(outcome -> outcomes.add("first " + outcome));
            assertThat(bus.offerWithoutWake(trade(0))).isTrue();
            tap.losses.incrementAndGet(); // the tap lost an event after the engine took it
            Receipt second = bus.issueReceipt(outcome -> outcomes.add("second " + outcome));
            bus.offerReceipt(first);
            bus.handOver();
            await().until(() -> tap.held.size() == 1);
            tap.releaseAll();
            await().until(() -> outcomes.size() == 1);
            bus.offerReceipt(second);
            bus.handOver();
            await().until(() -> tap.held.size() == 1);
            tap.releaseAll();
            await().until(() -> outcomes.size() == 2);
            assertThat(outcomes).containsExactly("first LOST", "second KEPT");

            Receipt third = bus.issueReceipt(outcome -> outcomes.add("third " + outcome));
            bus.offerReceipt(third);
            bus.handOver();
            await().until(() -> tap.held.size() == 1);
            tap.held.getFirst().lose(); // the tap could not queue it
            tap.releaseAll();
            await().until(() -> outcomes.size() == 3);
            assertThat(outcomes).endsWith("third LOST");
        }
    }

    @Test
    void anEventTheEngineFailedOnBeforeTheTapSawItSettlesTheReceiptLost() {
        KeepingTap keeping = new KeepingTap();
        EventTap failingFirst = event -> { // a tap before the one that keeps events elsewhere, failing on one trade
            if (event instanceof Trade trade && trade.price() == 666) {
                throw new IllegalStateException("a tap failed");
            }
        };
        List<Receipt.Outcome> outcomes = new CopyOnWriteArrayList<>();
        try (InProcessBus bus = new InProcessBus(TestInstruments.catalog(1), new ManualClock(), 1, 1024,
                EventTap.both(failingFirst, keeping))) {
            bus.start(partition -> new RecordingDelivery());
            Receipt receipt = bus.issueReceipt(outcomes::add);
            assertThat(bus.offerWithoutWake(new Trade(0, 0, 1, 666, 1, Side.BUY, 0))).isTrue();
            assertThat(bus.offerWithoutWake(trade(0))).isTrue();
            bus.offerReceipt(receipt);
            bus.handOver();
            await().until(() -> keeping.held.size() == 1);
            assertThat(keeping.seen).as("the keeping tap never saw the failed trade").containsExactly("trade 0/2", "receipt");
            keeping.releaseAll();
            await().until(() -> !outcomes.isEmpty());
            assertThat(outcomes).containsExactly(Receipt.Outcome.LOST);
        }
    }

    @Test
    void bothTapsHoldAReceiptAndTheirLossesAddUp() {
        KeepingTap first = new KeepingTap();
        KeepingTap second = new KeepingTap();
        EventTap both = EventTap.both(first, second);
        assertThat(both.keepsElsewhere()).isTrue();
        assertThat(EventTap.both(first, event -> { }).keepsElsewhere()).isTrue();
        assertThat(EventTap.both(event -> { }, event -> { }).keepsElsewhere()).isFalse();
        first.losses.set(2);
        second.losses.set(3);
        assertThat(both.losses()).isEqualTo(5);

        List<Receipt.Outcome> outcomes = new CopyOnWriteArrayList<>();
        Receipt receipt = new Receipt(both::losses, outcomes::add);
        both.onReceipt(receipt);
        receipt.release(); // the issuer's hold
        first.releaseAll();
        assertThat(outcomes).isEmpty();
        second.releaseAll();
        assertThat(outcomes).containsExactly(Receipt.Outcome.KEPT);
    }

    private static Trade trade(int instrumentId) {
        return new Trade(instrumentId, 0, 1, 100, 1, Side.BUY, 0);
    }
}
