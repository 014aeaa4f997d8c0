package io.tickwire.model.reference;

/**
 * A currency (or share, or coin) that instruments are bought or quoted in.
 *
 * @param precision decimal places amounts of it are shown with
 */
public record CurrencyInfo(String name, String type, int precision, String description) {
}
