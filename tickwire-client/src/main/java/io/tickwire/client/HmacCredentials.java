package io.tickwire.client;

/** An HMAC key; see {@link Credentials#hmac}. */
record HmacCredentials(String webApiId, String webApiKey, String secret) implements Credentials {
    @Override
    public String toString() {
        return "Credentials.hmac(" + webApiId + ", <redacted>)";
    }
}
