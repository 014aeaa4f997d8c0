package io.tickwire.client;

import java.net.URI;
import java.util.function.Supplier;

/** An OAuth2 access-token supplier and the exchange endpoint; see {@link Credentials#oauth2}. */
record OAuth2Credentials(URI exchangeUri, Supplier<String> accessTokens, String sessionHeader) implements Credentials {
    @Override
    public String toString() {
        return "Credentials.oauth2(" + exchangeUri + ")";
    }
}
