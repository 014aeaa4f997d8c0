package io.tickwire.model;

import java.math.BigDecimal;

/**
 * Exact conversions between scaled {@code long}s and decimal text.
 *
 * <p>A price of 3034.01 with scale 2 is the long 303401. Formatting never goes through
 * {@code double}, so what the engine holds is what the wire shows. Stateless and thread-safe.
 */
public final class Decimals {

    /** The largest scale supported: twelve decimal places. */
    public static final int MAX_SCALE = 12;

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private Decimals() {
    }

    /**
     * {@code a + b} for non-negative scaled sizes and volumes, saturating at {@link Long#MAX_VALUE}
     * instead of wrapping, so a running volume is never negative whatever sizes a source sends.
     */
    public static long addSaturated(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** 10 to the given power, for 0..18. */
    public static long pow10(int exponent) {
        return POW10[exponent];
    }

    /** Formats a scaled value as plain decimal text with trailing zeros removed, e.g. {@code 3034.01}. */
    public static String format(long scaled, int scale) {
        return appendTo(new StringBuilder(24), scaled, scale).toString();
    }

    /**
     * Appends the decimal text of a scaled value: no exponent, no trailing fractional zeros, no
     * trailing point ({@code 303400, 2 -> "3034"}, {@code -5, 3 -> "-0.005"}).
     */
    public static StringBuilder appendTo(StringBuilder out, long scaled, int scale) {
        if (scale == 0) {
            return out.append(scaled);
        }
        if (scaled < 0) {
            if (scaled == Long.MIN_VALUE) {
                return out.append(BigDecimal.valueOf(scaled, scale).stripTrailingZeros().toPlainString());
            }
            out.append('-');
            scaled = -scaled;
        }
        long unit = POW10[scale];
        long whole = scaled / unit;
        long fraction = scaled % unit;
        out.append(whole);
        if (fraction != 0) {
            int digits = scale;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            out.append('.');
            for (int i = digits - 1; i > 0 && fraction < POW10[i]; i--) {
                out.append('0');
            }
            out.append(fraction);
        }
        return out;
    }

    /**
     * Writes the same text as {@link #appendTo(StringBuilder, long, int)} as ASCII into {@code buf}
     * from {@code offset}, returning the number of chars written. The buffer must hold 21 chars.
     */
    public static int write(char[] buf, int offset, long scaled, int scale) {
        int pos = offset;
        if (scaled < 0) {
            if (scaled == Long.MIN_VALUE) {
                String text = format(scaled, scale);
                text.getChars(0, text.length(), buf, offset);
                return text.length();
            }
            buf[pos++] = '-';
            scaled = -scaled;
        }
        long unit = POW10[scale];
        long whole = scaled / unit;
        long fraction = scale == 0 ? 0 : scaled % unit;
        pos = writeDigits(buf, pos, whole, 1);
        if (fraction != 0) {
            int digits = scale;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            buf[pos++] = '.';
            pos = writeDigits(buf, pos, fraction, digits);
        }
        return pos - offset;
    }

    private static int writeDigits(char[] buf, int pos, long value, int minDigits) {
        int digits = 1;
        while (digits < 19 && value >= POW10[digits]) {
            digits++;
        }
        digits = Math.max(digits, minDigits);
        for (int i = pos + digits - 1; i >= pos; i--) {
            buf[i] = (char) ('0' + (value % 10));
            value /= 10;
        }
        return pos + digits;
    }

    /**
     * Writes a scaled value with exactly {@code scale} decimal places ({@code 303400, 2 -> "3034.00"},
     * {@code 5, 3 -> "0.005"}) as ASCII into {@code buf} from {@code offset}; returns the chars
     * written. Fixed places keep a value's scale the same in every message. The buffer must hold
     * 22 chars.
     */
    public static int writeFixed(char[] buf, int offset, long scaled, int scale) {
        if (scale == 0 || scaled == Long.MIN_VALUE) {
            String text = scale == 0 ? Long.toString(scaled) : toBigDecimal(scaled, scale).toPlainString();
            text.getChars(0, text.length(), buf, offset);
            return text.length();
        }
        int pos = offset;
        if (scaled < 0) {
            buf[pos++] = '-';
            scaled = -scaled;
        }
        long unit = POW10[scale];
        pos = writeDigits(buf, pos, scaled / unit, 1);
        buf[pos++] = '.';
        pos = writeDigits(buf, pos, scaled % unit, scale);
        return pos - offset;
    }

    /** The text of {@link #writeFixed}: exactly {@code scale} decimal places. */
    public static String formatFixed(long scaled, int scale) {
        char[] buf = new char[24];
        return new String(buf, 0, writeFixed(buf, 0, scaled, scale));
    }

    /**
     * Parses decimal text into a scaled long.
     *
     * @throws NumberFormatException if the text is not a plain decimal number, has more decimal
     *                               places than {@code scale}, or does not fit in a long
     */
    public static long parse(CharSequence text, int scale) {
        int len = text.length();
        if (len == 0) {
            throw new NumberFormatException("empty number");
        }
        int i = 0;
        boolean negative = false;
        char first = text.charAt(0);
        if (first == '-' || first == '+') {
            negative = first == '-';
            i++;
        }
        long whole = 0;
        int wholeDigits = 0;
        for (; i < len && text.charAt(i) != '.'; i++) {
            int d = digit(text, i);
            if (whole > (Long.MAX_VALUE - d) / 10) {
                throw new NumberFormatException("out of range: " + text);
            }
            whole = whole * 10 + d;
            wholeDigits++;
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (i < len) {
            i++; // the point
            for (; i < len; i++) {
                int d = digit(text, i);
                if (fractionDigits == scale) {
                    if (d != 0) {
                        throw new NumberFormatException("more than " + scale + " decimal places: " + text);
                    }
                    continue;
                }
                fraction = fraction * 10 + d;
                fractionDigits++;
            }
        }
        if (wholeDigits == 0 && fractionDigits == 0) {
            throw new NumberFormatException("no digits: " + text);
        }
        try {
            long value = Math.addExact(Math.multiplyExact(whole, POW10[scale]), fraction * POW10[scale - fractionDigits]);
            return negative ? -value : value;
        } catch (ArithmeticException e) {
            throw new NumberFormatException("out of range: " + text);
        }
    }

    private static int digit(CharSequence text, int i) {
        char c = text.charAt(i);
        if (c < '0' || c > '9') {
            throw new NumberFormatException("not a plain decimal number: " + text);
        }
        return c - '0';
    }

    /** The scaled value as a {@link BigDecimal}, exactly. */
    public static BigDecimal toBigDecimal(long scaled, int scale) {
        return BigDecimal.valueOf(scaled, scale);
    }

    /**
     * Converts a {@link BigDecimal} to a scaled long exactly.
     *
     * @throws ArithmeticException if it has more decimal places than {@code scale} or overflows
     */
    public static long fromBigDecimal(BigDecimal value, int scale) {
        return value.setScale(scale).unscaledValue().longValueExact();
    }

    /** The scaled value as a double; for display and formats that demand a double. */
    public static double toDouble(long scaled, int scale) {
        return (double) scaled / POW10[scale];
    }

    /** The nearest scaled long to a double; for simulation, never for data that came as text. */
    public static long fromDouble(double value, int scale) {
        return Math.round(value * POW10[scale]);
    }
}
