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
