package io.tickwire.auth;

import java.util.Locale;

/** The ways a client can prove who it is; the wire names appear in {@code welcome.auth.methods}. */
public enum Scheme {
    /** An API token (iTick, AllTick). */
    TOKEN,
    /** A TickTrader HMAC login signature. */
    HMAC,
    /** A Coinbase-style JWT signed by the client's key. */
    JWT,
    /** A session token from the OAuth2 exchange (X-ZUMO-AUTH). */
    SESSION;

    /** The lower-case wire name, e.g. {@code "hmac"}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a wire name; {@code null} if unknown. */
    public static Scheme fromWire(String name) {
        for (Scheme s : values()) {
            if (s.wireName().equals(name)) {
                return s;
            }
        }
        return null;
    }
}
