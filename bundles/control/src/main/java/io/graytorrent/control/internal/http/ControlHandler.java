package io.graytorrent.control.internal.http;

import io.graytorrent.api.TorrentException;
import io.graytorrent.control.internal.auth.Authenticator;
import io.graytorrent.control.internal.auth.Caller;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the first HTTP request of a connection. On the Netty event loop it only checks (Host/Origin,
 * route, caller) and copies the request; the route runs on {@code workers}, since the engine's
 * answers may take a moment, and writes its reply from there.
 */
public final class ControlHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(ControlHandler.class);
    private static final int MAX_QUERY_PARAMETERS = 64;

    private final HostGuard hosts;
    private final Authenticator authenticator;
    private final Router router;
    private final Executor workers;
    /** One request per connection: the connection closes after its answer, so a pipelined second one is dropped. */
    private boolean answering;

    public ControlHandler(HostGuard hosts, Authenticator authenticator, Router router, Executor workers) {
        this.hosts = hosts;
        this.authenticator = authenticator;
        this.router = router;
        this.workers = workers;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (answering) {
            return;
        }
        answering = true;
        // the whole request is in: from now on the answer lasts as long as its route needs (a command such as
        // get, an event stream), and a client hanging up is seen as the channel closing
        if (ctx.pipeline().get(ReadTimeoutHandler.class) != null) {
            ctx.pipeline().remove(ReadTimeoutHandler.class);
        }
        if (!request.decoderResult().isSuccess()) {
            JsonReply.error(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed HTTP request").send(ctx);
            return;
        }
        ApiRequest api;
        Router.Route route;
        try {
            hosts.check(request);
            QueryStringDecoder uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8, true,
                    MAX_QUERY_PARAMETERS);
            Router.Match match = router.match(request.method(), uri.path());
            Caller caller = authenticator.authenticate(request, match.access());
            route = match.route();
            api = new ApiRequest(request.method(), uri.path(), match.parameters(), uri.parameters(),
                    request.headers().copy(), ByteBufUtil.getBytes(request.content()), caller);
        } catch (ApiException e) {
            LOG.warn("refused {} {} from {}: {}", request.method(), request.uri(), ctx.channel().remoteAddress(), e.code());
            e.reply().send(ctx);
            return;
        } catch (IllegalArgumentException e) {
            JsonReply.error(HttpResponseStatus.BAD_REQUEST, "bad_request", "malformed request URI").send(ctx);
            return;
        }
        try {
            workers.execute(() -> answer(ctx, route, api));
        } catch (RejectedExecutionException e) {
            JsonReply.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", "the server is busy or shutting down").send(ctx);
        }
    }

    private static void answer(ChannelHandlerContext ctx, Router.Route route, ApiRequest request) {
        Reply reply;
        try {
            reply = route.handle(request);
        } catch (ApiException e) {
            LOG.debug("{} {}: {} {}", request.method(), request.path(), e.code(), e.getMessage());
            reply = e.reply();
        } catch (TorrentException e) {
            reply = EngineErrors.refusal(e).reply();
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            reply = JsonReply.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", "the request failed; see the server log");
        }
        reply.send(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("control connection failed", cause);
        ctx.close();
    }
}
