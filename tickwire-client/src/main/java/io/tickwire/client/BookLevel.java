package io.tickwire.client;

import java.math.BigDecimal;

/**
 * One price level of a book: a price and the aggregate size resting there. Immutable; price and
 * size are exact, at the instrument's price and size scale.
 *
 * @param price the level's price
 * @param size  the aggregate size at that price, always positive
 */
public record BookLevel(BigDecimal price, BigDecimal size) {
}
