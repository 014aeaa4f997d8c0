package io.tickwire.client;

/** An API token; see {@link Credentials#token(String)}. */
record TokenCredentials(String token) implements Credentials {

    @Override
    public String toString() {
        return "Credentials.token(<redacted>)";
    }
}
