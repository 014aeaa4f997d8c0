package io.tickwire.protocol.history;

import io.tickwire.model.Periodicity;
import io.tickwire.model.PriceType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code next} cursor of a history page: the whole request for the following page, so the
 * server keeps no state and a cursor works on any server. Opaque to clients (base64url text);
 * it only ever encodes a request a client could have sent itself, so decoding one grants nothing.
 * Stateless and thread-safe.
 */
public final class HistoryCursor {

    /** The longest cursor accepted. */
    public static final int MAX_LENGTH = 256;

    private static final String VERSION = "1";

    private HistoryCursor() {
    }

    /** The cursor for a request. */
    public static String encode(HistoryRequest r) {
        String text = String.join("|", VERSION, r.kind().wireName(), r.symbol(),
                r.periodicity() == null ? "" : r.periodicity().wireName(),
                r.priceType() == null ? "" : r.priceType().wireName(),
                Long.toString(r.from()), Long.toString(r.to()), Integer.toString(r.limit()), r.backwards() ? "b" : "f",
                Integer.toString(r.skip()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The request a cursor encodes.
     *
     * @throws IllegalArgumentException if it is not a cursor this protocol issued
     */
    public static HistoryRequest decode(String cursor) {
        if (cursor == null || cursor.isEmpty() || cursor.length() > MAX_LENGTH) {
            throw notACursor();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            String[] f = text.split("\\|", -1);
            if (f.length != 10 || !f[0].equals(VERSION)) {
                throw notACursor();
            }
            HistoryRequest.Kind kind = HistoryRequest.Kind.fromWire(f[1]);
            if (kind == null || f[2].isEmpty()) {
                throw notACursor();
            }
            Periodicity period = f[3].isEmpty() ? null : Periodicity.fromWire(f[3]);
            PriceType priceType = f[4].isEmpty() ? null : PriceType.fromWire(f[4]);
            if (kind == HistoryRequest.Kind.BARS && (period == null || priceType == null)) {
                throw notACursor();
            }
            boolean backwards = switch (f[8]) {
                case "b" -> true;
                case "f" -> false;
                default -> throw notACursor();
            };
            return new HistoryRequest(kind, f[2], period, priceType, Long.parseLong(f[5]), Long.parseLong(f[6]),
                    Integer.parseInt(f[7]), backwards, Integer.parseInt(f[9]));
        } catch (IllegalArgumentException e) { // bad base64, numbers, or a request the record refuses
            throw notACursor();
        }
    }

    private static IllegalArgumentException notACursor() {
        return new IllegalArgumentException("not a cursor this server issued; send the 'next' value of a history answer");
    }
}
