package io.tickwire.client;

import java.security.PrivateKey;

/** A JWT signing key; see {@link Credentials#jwt(String, PrivateKey)}. */
record JwtCredentials(String keyName, PrivateKey privateKey) implements Credentials {
    @Override
    public String toString() {
        return "Credentials.jwt(" + keyName + ", <redacted>)";
    }
}
