package io.tickwire.protocol.v1;

import io.tickwire.model.Channel;
import java.util.List;

/**
 * A request from a client, decoded. {@link #id()} is the request's {@code id} as raw JSON text
 * (a quoted string or an integer) so the answer can echo it byte for byte, or {@code null}.
 */
public sealed interface Command {

    /** The request id as raw JSON, or {@code null} when the request had none. */
    String id();

    /** {@code {"op":"auth","token":"…"}}: authenticate with an API token. */
    record Auth(String id, String token) implements Command {
        @Override
        public String toString() {
            return "Auth[id=" + id + ", token=<redacted>]";
        }
    }

    /** {@code {"op":"auth","scheme":"hmac","webApiId":…,"webApiKey":…,"timestamp":…,"signature":…}}: a TickTrader HMAC login. */
    record HmacAuth(String id, String webApiId, String webApiKey, String timestamp, String signature) implements Command {
        @Override
        public String toString() {
            return "HmacAuth[id=" + id + ", webApiId=" + webApiId + ", signature=<redacted>]";
        }
    }

    /** {@code {"op":"auth","scheme":"jwt","jwt":"…"}}: a JWT signed by the client's key. */
    record JwtAuth(String id, String jwt) implements Command {
        @Override
        public String toString() {
            return "JwtAuth[id=" + id + ", jwt=<redacted>]";
        }
    }

    /** {@code {"op":"auth","scheme":"session","token":"…"}}: an OAuth2 session token. */
    record SessionAuth(String id, String token) implements Command {
        @Override
        public String toString() {
            return "SessionAuth[id=" + id + ", token=<redacted>]";
        }
    }

    /**
     * {@code {"op":"twoFactor","code":"123456"}} or {@code {"op":"twoFactor","resume":"…"}}: the
     * second factor; exactly one of {@code code} and {@code resume} is set.
     */
    record TwoFactor(String id, String code, String resume) implements Command {
        @Override
        public String toString() {
            return "TwoFactor[id=" + id + ", <redacted>]";
        }
    }

    /** {@code {"op":"registerEmail","email":"…"}}: the account's support e-mail. */
    record RegisterEmail(String id, String email) implements Command {
    }

    /**
     * A request that carries a JWT as well (Coinbase clients send one with each subscribe): the
     * JWT authenticates or refreshes the session first, then {@code command} runs.
     */
    record WithJwt(String id, String jwt, Command command) implements Command {
        @Override
        public String toString() {
            return "WithJwt[jwt=<redacted>, " + command + "]";
        }
    }

    /** {@code {"op":"subscribe","symbols":[…],"channels":[…]}}. */
    record Subscribe(String id, List<String> symbols, List<Channel> channels) implements Command {
        public Subscribe {
            symbols = List.copyOf(symbols);
            channels = List.copyOf(channels);
        }
    }

    /** {@code {"op":"unsubscribe","symbols":[…],"channels":[…]}}. */
    record Unsubscribe(String id, List<String> symbols, List<Channel> channels) implements Command {
        public Unsubscribe {
            symbols = List.copyOf(symbols);
            channels = List.copyOf(channels);
        }
    }

    /** {@code {"op":"ping","payload":…}}: {@code payload} is any JSON value as raw text, or {@code null}. */
    record Ping(String id, String payload) implements Command {
    }
}
