package io.tickwire.engine;

/**
 * Where fan-out delivers a stream: one I/O event loop and one wire format, packed in an
 * {@code int}. The engine treats routes as opaque numbers; the server decides what loop and
 * format mean. Loop indexes go up to 2^23 - 1, formats up to 255.
 */
public final class Route {

    private Route() {
    }

    /** The route of a loop and a wire format. */
    public static int of(int loop, int format) {
        if (loop < 0 || loop >= (1 << 23) || format < 0 || format > 0xFF) {
            throw new IllegalArgumentException("route out of range: loop " + loop + ", format " + format);
        }
        return (loop << 8) | format;
    }

    /** The event loop index of a route. */
    public static int loop(int route) {
        return route >>> 8;
    }

    /** The wire format index of a route. */
    public static int format(int route) {
        return route & 0xFF;
    }
}
