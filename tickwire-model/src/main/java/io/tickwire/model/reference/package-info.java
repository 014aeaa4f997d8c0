/**
 * Reference data about the instruments of a catalogue: currencies and their types, each symbol's
 * trading terms, and interest-rate history, as TickTrader's {@code Currencies}, {@code Symbols}
 * and {@code InterestRateHistory} requests serve them. Immutable.
 */
package io.tickwire.model.reference;
