package io.tickwire.protocol;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A reusable, growable byte buffer that encoders write one message into.
 *
 * <p>Not thread-safe: each encoding thread owns its sink. After a message is written,
 * {@link #array()} and {@link #length()} describe it until {@link #reset()}. The buffer only
 * grows, so a steady state allocates nothing.
 */
public final class ByteSink extends OutputStream {

    private byte[] buf;
    private int length;

    public ByteSink(int initialCapacity) {
        this.buf = new byte[initialCapacity];
    }

    /** Forgets the content; keeps the capacity. */
    public void reset() {
        length = 0;
    }

    /** The backing array; valid bytes are {@code [0, length())}. */
    public byte[] array() {
        return buf;
    }

    /** The number of valid bytes. */
    public int length() {
        return length;
    }

    @Override
    public void write(int b) {
        ensure(1);
        buf[length++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, length, len);
        length += len;
    }

    private void ensure(int extra) {
        if (length + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + extra));
        }
    }

    /** The content as UTF-8 text; for tests and logs. */
    @Override
    public String toString() {
        return new String(buf, 0, length, StandardCharsets.UTF_8);
    }
}
