package io.graytorrent.control.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one HTTP request per connection. Runs on the Netty event loop, so it only checks and
 * parses; commands run on {@code commandPool} and stream their output back through the channel.
 */
final class ControlHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String COMMAND_PATH = "/api/v1/command";
    static final String STATUS_PATH = "/api/v1/status";
    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RequestGuard guard;
    private final CommandRunner runner;
    private final ExecutorService commandPool;
    private final WebAssets webAssets;

    ControlHandler(RequestGuard guard, CommandRunner runner, ExecutorService commandPool, WebAssets webAssets) {
        this.guard = guard;
        this.runner = runner;
        this.commandPool = commandPool;
        this.webAssets = webAssets;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            sendError(ctx, HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request");
            return;
        }
        RequestGuard.Refusal refusal = WebAssets.isAssetRequest(request) ? guard.checkOrigin(request) : guard.check(request);
        if (refusal != null) {
            LOG.warn("refused {} {} from {}: {}", request.method(), request.uri(), ctx.channel().remoteAddress(), refusal.code());
            sendError(ctx, refusal.status(), refusal.code(), refusal.message());
            return;
        }
        String path = request.uri();
        if (WebAssets.isAssetRequest(request)) {
            ctx.writeAndFlush(webAssets.answer(request)).addListener(ChannelFutureListener.CLOSE);
        } else if (STATUS_PATH.equals(path) && HttpMethod.GET.equals(request.method())) {
            sendJson(ctx, HttpResponseStatus.OK, Map.of("status", "running"));
        } else if (COMMAND_PATH.equals(path) && HttpMethod.POST.equals(request.method())) {
            startCommand(ctx, request);
        } else if (STATUS_PATH.equals(path) || COMMAND_PATH.equals(path)) {
            sendError(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed", request.method() + " is not allowed here");
        } else {
            sendError(ctx, HttpResponseStatus.NOT_FOUND, "not_found", "no such endpoint: " + path);
        }
    }

    private void startCommand(ChannelHandlerContext ctx, FullHttpRequest request) {
        CommandRequest command;
        try {
            command = JSON.readValue(request.content().toString(java.nio.charset.StandardCharsets.UTF_8), CommandRequest.class);
        } catch (JsonProcessingException e) {
            String reason = e.getCause() instanceof IllegalArgumentException cause ? cause.getMessage() : e.getOriginalMessage();
            sendError(ctx, HttpResponseStatus.BAD_REQUEST, "bad_request", "bad command request: " + reason);
            return;
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-ndjson; charset=utf-8");
        head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        HttpUtil.setTransferEncodingChunked(head, true);
        ctx.writeAndFlush(head);
        try {
            Future<?> running = commandPool.submit(() -> runner.run(command, new ChannelOutput(ctx)));
            // a client that hangs up (Ctrl-C on gray watch or get) interrupts its command
            ctx.channel().closeFuture().addListener(closed -> running.cancel(true));
        } catch (RejectedExecutionException e) {
            new ChannelOutput(ctx).err("error: the server is shutting down\n");
            new ChannelOutput(ctx).exit(CommandRunner.EXIT_FAILED);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("control connection failed", cause);
        ctx.close();
    }

    private static void sendError(ChannelHandlerContext ctx, HttpResponseStatus status, String code, String message) {
        ctx.writeAndFlush(errorResponse(status, code, message)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Every refusal's shape: {@code {"error":{"code":..,"message":..}}}, and the connection closes. */
    static FullHttpResponse errorResponse(HttpResponseStatus status, String code, String message) {
        return jsonResponse(status, Map.of("error", Map.of("code", code, "message", message)));
    }

    private static void sendJson(ChannelHandlerContext ctx, HttpResponseStatus status, Object body) {
        ctx.writeAndFlush(jsonResponse(status, body)).addListener(ChannelFutureListener.CLOSE);
    }

    private static FullHttpResponse jsonResponse(HttpResponseStatus status, Object body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(toJson(body)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }

    static byte[] toJson(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings always serialise", e);
        }
    }

    /** Writes each piece of output as one JSON line in its own HTTP chunk; thread-safe via Netty. */
    private record ChannelOutput(ChannelHandlerContext ctx) implements CommandOutput {
        @Override
        public void out(String text) {
            line(Map.of("out", text));
        }

        @Override
        public void err(String text) {
            line(Map.of("err", text));
        }

        @Override
        public void exit(int code) {
            line(Map.of("exit", code));
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
        }

        private void line(Map<String, Object> event) {
            byte[] json = toJson(event);
            byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
            withNewline[json.length] = '\n';
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(withNewline)));
        }
    }
}
