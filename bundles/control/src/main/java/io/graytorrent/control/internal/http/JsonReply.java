package io.graytorrent.control.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whole JSON answer (or an empty one, for 204), after which the connection closes, as after every
 * answer of this endpoint: clients open one connection per request.
 */
public record JsonReply(HttpResponseStatus status, Object body, Map<String, String> headers) implements Reply {
    public static final ObjectMapper JSON = new ObjectMapper();

    public static JsonReply ok(Object body) {
        return new JsonReply(HttpResponseStatus.OK, body, Map.of());
    }

    public static JsonReply noContent() {
        return new JsonReply(HttpResponseStatus.NO_CONTENT, null, Map.of());
    }

    /** Every refusal's shape: {@code {"error":{"code":..,"message":..}}}. */
    public static JsonReply error(HttpResponseStatus status, String code, String message) {
        return new JsonReply(status, Map.of("error", Map.of("code", code, "message", message)), Map.of());
    }

    JsonReply withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new JsonReply(status, body, all);
    }

    public JsonReply withHeader(String name, String value) {
        return withHeaders(Map.of(name, value));
    }

    @Override
    public void send(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(toResponse()).addListener(ChannelFutureListener.CLOSE);
    }

    FullHttpResponse toResponse() {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(toJson(body)));
        if (body != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        }
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        headers.forEach((name, value) -> response.headers().add(name, value));
        return response;
    }

    public static byte[] toJson(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps, lists and plain values always serialise", e);
        }
    }
}
