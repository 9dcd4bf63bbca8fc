package io.cairn.node.admin;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.concurrent.CompletableFuture;

/** A status and the object serialised as the JSON body. */
public record ApiResponse(HttpResponseStatus status, Object body) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(HttpResponseStatus.OK, body);
    }

    public static CompletableFuture<ApiResponse> now(Object body) {
        return CompletableFuture.completedFuture(ok(body));
    }
}
