package io.tickwire.server.dialect.enterprise;

import io.tickwire.model.Decimals;

/**
 * Numbers as the enterprise format writes them: every value a JSON float ({@code 533779.0},
 * {@code 243.08}) and times as seconds since the epoch with the microseconds as decimals
 * ({@code 1749462520.177003}, {@code 1733432340.0}). Exact: built from scaled longs, never through
 * {@code double}. Stateless.
 */
final class CompactNumbers {

    private CompactNumbers() {
    }

    /** A scaled value with at least one decimal place: {@code 533779.0}, {@code 243.08}. */
    static StringBuilder decimal(StringBuilder out, long scaled, int scale) {
        int start = out.length();
        Decimals.appendTo(out, scaled, scale);
        for (int i = start; i < out.length(); i++) {
            if (out.charAt(i) == '.') {
                return out;
            }
        }
        return out.append(".0");
    }

    /** Microseconds since the epoch as seconds with up to six decimals: {@code 1749462520.177003}. */
    static StringBuilder seconds(StringBuilder out, long micros) {
        return decimal(out, micros, 6);
    }
}
