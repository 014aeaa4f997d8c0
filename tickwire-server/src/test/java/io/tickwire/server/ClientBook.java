package io.tickwire.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tickwire.model.BookChecksum;
import io.tickwire.model.Decimals;
import io.tickwire.protocol.v1.ServerMessage;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/** A client's copy of a depth-limited book, kept as docs/protocol.md says, checking every checksum. */
final class ClientBook {

    final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Comparator.reverseOrder());
    final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private final int priceScale;
    private final int sizeScale;
    long seq = -1;

    ClientBook(int priceScale, int sizeScale) {
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
    }

    void apply(ServerMessage.Book m) {
        if (m.snapshot()) {
            bids.clear();
            asks.clear();
        } else {
            assertThat(m.prevSeq()).as("in sync: prevSeq <= lastSeq < seq").isLessThanOrEqualTo(seq);
            assertThat(m.seq()).isGreaterThan(seq);
        }
        m.bids().forEach(l -> put(bids, l));
        m.asks().forEach(l -> put(asks, l));
        while (bids.size() > m.depth()) {
            bids.pollLastEntry();
        }
        while (asks.size() > m.depth()) {
            asks.pollLastEntry();
        }
        seq = m.seq();
        assertThat(checksum(m.depth())).as("checksum after %s", m).isEqualTo(m.checksum());
    }

    private static void put(TreeMap<BigDecimal, BigDecimal> side, ServerMessage.Level l) {
        if (l.size().signum() == 0) {
            side.remove(l.price());
        } else {
            side.put(l.price(), l.size());
        }
    }

    long checksum(int depth) {
        long[][] b = arrays(bids);
        long[][] a = arrays(asks);
        return new BookChecksum().of(b[0], b[1], b[0].length, a[0], a[1], a[0].length, depth, priceScale, sizeScale);
    }

    private long[][] arrays(TreeMap<BigDecimal, BigDecimal> side) {
        long[] p = new long[side.size()];
        long[] z = new long[side.size()];
        int i = 0;
        for (Map.Entry<BigDecimal, BigDecimal> e : side.entrySet()) {
            p[i] = Decimals.fromBigDecimal(e.getKey(), priceScale);
            z[i++] = Decimals.fromBigDecimal(e.getValue(), sizeScale);
        }
        return new long[][] {p, z};
    }
}
