package io.graytorrent.control.internal.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.graytorrent.control.internal.http.ApiException;
import io.graytorrent.control.internal.http.ApiRequest;
import io.graytorrent.control.internal.http.JsonReply;
import io.graytorrent.control.internal.http.Reply;
import io.graytorrent.control.internal.http.Router;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;

/**
 * The channel of the {@code gray} client: {@code POST /api/v1/command} runs a {@code bt} command on
 * the command pool and streams its output as JSON lines; {@code GET /api/v1/status}. Token only.
 */
public final class CommandRoutes implements AutoCloseable {
    public static final String COMMAND_PATH = "/api/v1/command";
    static final String STATUS_PATH = "/api/v1/status";
    private static final int MAX_QUEUED_COMMANDS = 64;
    private static final long CLOSE_WAIT_SECONDS = 2;

    private final CommandRunner runner;
    private final ExecutorService commandPool;

    public CommandRoutes(CommandProcessor processor, int commandThreads) {
        this(new CommandRunner(processor), newPool(commandThreads));
    }

    /** With the pool commands run on (tests run them inline). */
    public CommandRoutes(CommandRunner runner, ExecutorService commandPool) {
        this.runner = runner;
        this.commandPool = commandPool;
    }

    private static ExecutorService newPool(int threads) {
        AtomicInteger threadNumber = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED_COMMANDS),
                runnable -> new Thread(runnable, "gray-command-" + threadNumber.incrementAndGet()));
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, COMMAND_PATH, Router.Access.TOKEN, this::command)
                .add(HttpMethod.GET, STATUS_PATH, Router.Access.TOKEN, request -> JsonReply.ok(Map.of("status", "running")));
    }

    private Reply command(ApiRequest request) throws ApiException {
        CommandRequest command;
        try {
            command = JsonReply.JSON.readValue(request.body(), CommandRequest.class);
        } catch (JsonProcessingException e) {
            String reason = e.getCause() instanceof IllegalArgumentException cause ? cause.getMessage() : e.getOriginalMessage();
            throw ApiException.badRequest("bad_request", "bad command request: " + reason);
        } catch (IOException e) {
            throw ApiException.badRequest("bad_request", "unreadable command request");
        }
        return ctx -> stream(ctx, command);
    }

    private void stream(ChannelHandlerContext ctx, CommandRequest command) {
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
            new ChannelOutput(ctx).err("error: the server is busy or shutting down\n");
            new ChannelOutput(ctx).exit(CommandRunner.EXIT_FAILED);
        }
    }

    /** Interrupts the running commands and gives them a moment to write their exit. */
    @Override
    public void close() {
        commandPool.shutdownNow();
        try {
            commandPool.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            if (!stopping()) {
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** A command outliving the endpoint's event loops has no one left to write to (and Netty would log it). */
        private boolean stopping() {
            return ctx.executor().isShuttingDown();
        }

        private void line(Map<String, Object> event) {
            if (stopping()) {
                return;
            }
            byte[] json = JsonReply.toJson(event);
            byte[] withNewline = Arrays.copyOf(json, json.length + 1);
            withNewline[json.length] = '\n';
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(withNewline)));
        }
    }
}
