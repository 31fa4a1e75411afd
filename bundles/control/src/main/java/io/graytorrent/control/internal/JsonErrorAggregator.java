package io.graytorrent.control.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Netty's request aggregator, refusing in our JSON error shape: its own 413 (body too large) and
 * 417 (unsupported {@code Expect}) answers have empty bodies, which clients cannot tell apart.
 * Found by ControlEndpointFuzzTest. The connection closes after a refusal, as after every answer.
 */
final class JsonErrorAggregator extends HttpObjectAggregator {
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
        ctx.writeAndFlush(tooLarge()).addListener(ChannelFutureListener.CLOSE);
    }

    private FullHttpResponse tooLarge() {
        return JsonReply.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
                "requests are limited to " + maxRequestBytes + " bytes").toResponse();
    }
}
