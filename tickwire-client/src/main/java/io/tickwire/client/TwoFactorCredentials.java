package io.tickwire.client;

import java.util.function.Supplier;

/** A first factor with a TOTP supplier; see {@link Credentials#withTotp}. */
record TwoFactorCredentials(Credentials first, Supplier<String> oneTimePasswords) implements Credentials {
    @Override
    public String toString() {
        return first + ".withTotp(<supplier>)";
    }
}
