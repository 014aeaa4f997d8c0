package io.tickwire.server.fanout;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds complete, unmasked WebSocket text frames (header and payload) in one buffer.
 *
 * <p>Server frames are never masked, so the bytes of a frame are the same for every subscriber:
 * fan-out builds a frame once and writes the same bytes to every connection, bypassing Netty's
 * per-write frame encoder. Stateless and thread-safe.
 */
public final class WebSocketFrames {

    private static final int FIN_TEXT = 0x81;

    private WebSocketFrames() {
    }

    /** A text frame holding {@code payload[0, length)}, which must be valid UTF-8. */
    public static ByteBuf text(ByteBufAllocator alloc, byte[] payload, int length) {
        int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
        ByteBuf frame = alloc.directBuffer(header + length);
        frame.writeByte(FIN_TEXT);
        if (length < 126) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126);
            frame.writeShort(length);
        } else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
        frame.writeBytes(payload, 0, length);
        return frame;
    }
}
