package io.tickwire.server.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** Small HTTP responses with a JSON or text body. Stateless. */
public final class HttpResponses {

    private HttpResponses() {
    }

    /** A response with a JSON body. */
    public static FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, String json) {
        return body(alloc, status, "application/json; charset=utf-8", json);
    }

    /** A response with a body of the given content type. */
    public static FullHttpResponse body(ByteBufAllocator alloc, HttpResponseStatus status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ByteBuf content = alloc.buffer(bytes.length).writeBytes(bytes);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    /** A JSON error body {@code {"error":code,"message":…}}. */
    public static FullHttpResponse error(ByteBufAllocator alloc, HttpResponseStatus status, String code, String message) {
        return json(alloc, status, "{\"error\":\"" + code + "\",\"message\":\"" + escape(message) + "\"}");
    }

    /** Escapes text for a JSON string. */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
