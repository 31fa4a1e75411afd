package io.graytorrent.control.internal.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.TimeUnit;

/**
 * Netty's request aggregator, refusing in our JSON error shape: its own 413 (body too large) and
 * 417 (unsupported {@code Expect}) answers have empty bodies, which clients cannot tell apart.
 * Found by ControlEndpointFuzzTest. The connection closes after a refusal, as after every answer.
 */
final class JsonErrorAggregator extends HttpObjectAggregator {
    private static final long LINGER_SECONDS = 2;

    private final int maxRequestBytes;

    JsonErrorAggregator(int maxRequestBytes) {
        super(maxRequestBytes, true);
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse refusal && refusal.status().code() >= 400) {
            refusal.release();
            return refusal.status().equals(HttpResponseStatus.EXPECTATION_FAILED)
                    ? JsonReply.error(refusal.status(), "expectation_failed", "only Expect: 100-continue is supported").toResponse()
                    : tooLarge();
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // closing at once would make the kernel reset a client still sending its body, and the reset
        // can destroy this answer before the client reads it: half-close, let the aggregator drop the
        // rest, and close when the client hangs up or after a short grace period
        ctx.writeAndFlush(tooLarge()).addListener(written -> {
            if (ctx.channel() instanceof DuplexChannel duplex && written.isSuccess()) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
            } else {
                ctx.close();
            }
        });
    }

    private FullHttpResponse tooLarge() {
        return JsonReply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
                "requests are limited to " + maxRequestBytes + " bytes").toResponse();
    }
}
