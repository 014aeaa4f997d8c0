package io.tickwire.model.reference;

import java.math.BigDecimal;

/**
 * One interest rate of a currency, in force from {@code timestampMillis}; {@code id} orders the
 * records of all currencies (oldest first) so clients can page after the last one they saw.
 *
 * @param rate annual rate in percent
 */
public record InterestRate(long id, String currency, long timestampMillis, BigDecimal rate) {
}
