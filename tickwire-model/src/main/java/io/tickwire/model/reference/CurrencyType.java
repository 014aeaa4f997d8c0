package io.tickwire.model.reference;

/** A kind of currency, e.g. {@code Default} (money), {@code Share}, {@code Crypto}. */
public record CurrencyType(String name, String description) {
}
