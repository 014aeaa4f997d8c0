package io.tickwire.auth;

/**
 * Makes a value a client chose (a Web API id, a key name, a provider's error text) safe to put in a
 * log line: it can neither start a line of its own nor hide or reorder text, and it takes a bounded
 * room. Control characters (CR, LF, NEL, …), Unicode line and paragraph separators, formatting
 * characters (bidirectional overrides, zero-width characters) and unpaired surrogates are written
 * as {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}, a backslash as two; the value is
 * cut (after {@value #MAX_CHARS} characters unless told otherwise), saying how many more there were.
 * Stateless.
 */
public final class LogSafe {

    /** The most characters of a value that are logged. */
    public static final int MAX_CHARS = 96;

    private LogSafe() {
    }

    /** The value escaped and cut after {@value #MAX_CHARS} characters; {@code "null"} for {@code null}. */
    public static String of(String value) {
        return of(value, MAX_CHARS);
    }

    /** The value escaped and cut after {@code maxChars} characters (for longer texts, an error's message). */
    public static String of(String value, int maxChars) {
        if (value == null) {
            return "null";
        }
        int end = Math.min(value.length(), maxChars);
        StringBuilder sb = new StringBuilder(end + 16);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
                sb.append(c).append(value.charAt(++i)); // a well-formed pair (an emoji, a CJK extension) stays as is
                continue;
            }
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (unsafe(c)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (value.length() > end) {
            sb.append("…(").append(value.length() - end).append(" more chars)");
        }
        return sb.toString();
    }

    private static boolean unsafe(char c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE -> true;
            default -> false;
        };
    }
}
