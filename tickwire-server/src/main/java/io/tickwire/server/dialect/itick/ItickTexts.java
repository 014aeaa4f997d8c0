package io.tickwire.server.dialect.itick;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * Every text iTick's seed gives, in one place, and the frames that carry them. Stateless.
 */
final class ItickTexts {

    static final String CONNECTED = "{\"code\":1,\"msg\":\"Connected Successfully\"}";
    static final String AUTHENTICATED = "{\"code\":1,\"resAc\":\"auth\",\"msg\":\"authenticated\"}";
    static final String AUTH_FAILED = "{\"code\":0,\"resAc\":\"auth\",\"msg\":\"auth failed\"}";
    static final String SUBSCRIBED = "{\"code\":1,\"resAc\":\"subscribe\",\"msg\":\"subscribe Successfully\"}";
    static final String OVER_LIMIT = "{\"code\":0,\"resAc\":\"subscribe\",\"msg\":\"exceeding the maximum subscription limit\"}";
    static final String UNSUBSCRIBED = "{\"code\":1,\"resAc\":\"unsubscribe\",\"msg\":\"unsubscribe Successfully\"}";
    static final String UNRESOLVED = "cannot be resolved action";

    private ItickTexts() {
    }

    /** {@code {"code":0,"resAc":ac,"msg":msg}}; without {@code resAc} when the request named no action. */
    static String failure(String ac, String msg) {
        StringBuilder sb = new StringBuilder("{\"code\":0,");
        if (ac != null) {
            sb.append("\"resAc\":\"").append(JsonStringEncoder.getInstance().quoteAsString(ac)).append("\",");
        }
        return sb.append("\"msg\":\"").append(JsonStringEncoder.getInstance().quoteAsString(msg)).append("\"}").toString();
    }

    /** The pong carrying the ping's {@code params} exactly as given ({@code rawParams} is JSON). */
    static String pong(String rawParams) {
        return "{\"resAc\":\"pong\",\"data\":{\"params\":" + rawParams + "}}";
    }
}
