package io.tickwire.client;

import io.tickwire.model.Channel;
import io.tickwire.protocol.ErrorCode;

/**
 * Part of a request the server refused, e.g. a symbol it does not carry. Immutable.
 *
 * @param symbol  the symbol as it was requested
 * @param channel the channel refused, or {@code null} when every channel of the request is meant
 * @param code    the stable machine-readable code, e.g. {@code unknown_symbol}
 * @param message a human explanation
 */
public record Rejection(String symbol, Channel channel, String code, String message) {

    /** The code as an enum, or {@code null} if this client version does not know it. */
    public ErrorCode errorCode() {
        return ErrorCode.fromWire(code);
    }
}
