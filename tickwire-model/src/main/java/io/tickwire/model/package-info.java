/**
 * The market's vocabulary: instruments, channels, quotes and trades.
 *
 * <p>Every type here is immutable and safe to share between threads. Prices and sizes are
 * scaled {@code long}s: the instrument's {@link io.tickwire.model.Instrument#priceScale()} and
 * {@link io.tickwire.model.Instrument#sizeScale()} say how many decimal places they carry, and
 * {@link io.tickwire.model.Decimals} turns them into text and back without {@code double}
 * rounding. Times are microseconds since the Unix epoch (UTC) in a {@code long}.
 */
package io.tickwire.model;
