package io.tickwire.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.http.websocketx.WebSocketFrameEncoder;

/**
 * The bytes one connection is sent between two flushes, gathered in one pooled buffer: a
 * connection costs one write (and one outbound-buffer entry) per fan-out batch, however many
 * frames the batch holds, and no object per message.
 *
 * <p>Why a copy: fan-out encodes a message once and every subscriber's connection would need a
 * buffer of its own over those bytes (a duplicate, allocated per subscriber per message), because
 * a partial socket write moves the buffer's reader index. Copying ~100 bytes into a buffer the
 * connection owns costs less than that allocation and lets the event loop write many frames at
 * once. The frames given here are only read, never kept: one buffer instance may be handed to
 * every subscriber.
 *
 * <p>Frames are already WebSocket frames (header included, unmasked as servers send them), so they
 * are written from the WebSocket encoder's place in the pipeline towards the socket, skipping the
 * handlers above it that would only pass them on.
 *
 * <p>Confined to the connection's event loop. Keeps at most {@link #WRITE_THRESHOLD} bytes before
 * handing them to the channel, so its outbound buffer (and the water marks that watch it) sees a
 * large batch as it grows. Owns the pooled buffer until it is written or {@link #discard}ed.
 */
final class OutboundFrames {

    /** Bytes gathered before they are written to the channel without waiting for the flush. */
    static final int WRITE_THRESHOLD = 32 * 1024;
    private static final int INITIAL_CAPACITY = 512;

    private final Channel channel;
    private ChannelOutboundInvoker out;
    private ByteBuf pending;

    OutboundFrames(Channel channel) {
        this.channel = channel;
    }

    /** Appends a copy of {@code frame}'s readable bytes; the caller keeps (and releases) its reference. */
    void add(ByteBuf frame) {
        int length = frame.readableBytes();
        if (pending == null) {
            pending = channel.alloc().directBuffer(Math.max(INITIAL_CAPACITY, length));
        }
        pending.writeBytes(frame, frame.readerIndex(), length);
        if (pending.readableBytes() >= WRITE_THRESHOLD) {
            write();
        }
    }

    /** Hands what was gathered to the channel, without flushing. */
    void write() {
        if (pending != null) {
            ByteBuf bytes = pending;
            pending = null;
            context().write(bytes, channel.voidPromise());
        }
    }

    /** Writes what was gathered and flushes the connection. */
    void flush() {
        write();
        context().flush();
    }

    /** Drops what was gathered (the connection is gone). */
    void discard() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    /** Bytes gathered and not yet handed to the channel. */
    int gathered() {
        return pending == null ? 0 : pending.readableBytes();
    }

    private ChannelOutboundInvoker context() {
        if (out == null) {
            out = channel.pipeline().context(WebSocketFrameEncoder.class);
            if (out == null) {
                return channel; // no WebSocket encoder (yet): the whole pipeline, which passes bytes on
            }
        }
        return out;
    }
}
