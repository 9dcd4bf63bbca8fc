package io.cairn.node.admin;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One HTTP request: check the token, route, run the endpoint, write its JSON. Endpoints answer
 * on other threads (the RIB's); the response is written back on this channel's event loop.
 */
final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);
    /** An answer the RIB or a peer has not given by then will not come in time for a person either. */
    static final long TIMEOUT_SECONDS = 10;

    private final Router router;
    private final BearerToken token;

    HttpDispatcher(Router router, BearerToken token) {
        this.router = router;
        this.token = token;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (token != null && !token.accepts(req.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            FullHttpResponse r = response(new ApiException(HttpResponseStatus.UNAUTHORIZED,
                    "missing or wrong bearer token (admin.token-file)"));
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"cairn\"");
            write(ctx, r, keepAlive);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        CompletableFuture<ApiResponse> answer;
        try {
            Router.Match m = router.route(req.method(), uri.path());
            answer = m.endpoint().handle(new ApiRequest(m.pathParams(), uri.parameters(), ByteBufUtil.getBytes(req.content())));
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        String what = req.method() + " " + uri.path();
        answer.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .whenCompleteAsync((ok, failed) -> write(ctx, answer(what, ok, failed), keepAlive), ctx.executor());
    }

    /** The response to send; a body that cannot be serialised is a 500, never a request left hanging. */
    private static FullHttpResponse answer(String what, ApiResponse ok, Throwable failed) {
        if (failed != null) {
            return failure(what, failed);
        }
        try {
            return response(ok);
        } catch (RuntimeException e) {
            return failure(what, e);
        }
    }

    private static FullHttpResponse failure(String what, Throwable failed) {
        Throwable cause = failed instanceof CompletionException && failed.getCause() != null ? failed.getCause() : failed;
        if (cause instanceof ApiException e) {
            return response(e);
        }
        if (cause instanceof TimeoutException) {
            return response(new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    what + ": no answer within " + TIMEOUT_SECONDS + " s (is the RIB overloaded?)"));
        }
        log.warn("admin API: {} failed", what, cause);
        return response(new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, what + " failed: " + cause));
    }

    private static FullHttpResponse response(ApiException e) {
        FullHttpResponse r = response(new ApiResponse(e.status(), e.body()));
        if (e instanceof Router.MethodNotAllowed m) {
            r.headers().set(HttpHeaderNames.ALLOW, m.allow());
        }
        return r;
    }

    private static FullHttpResponse response(ApiResponse a) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, a.status(),
                Unpooled.wrappedBuffer(Json.write(a.body())));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        return r;
    }

    private static void write(ChannelHandlerContext ctx, FullHttpResponse r, boolean keepAlive) {
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin API connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
