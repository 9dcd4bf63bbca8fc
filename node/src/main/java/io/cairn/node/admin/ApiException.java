package io.cairn.node.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.List;

/** A request the API answers with an error status and {@code {"error": ..., "problems": [...]}}. */
public class ApiException extends RuntimeException {

    private final HttpResponseStatus status;
    private final List<String> problems;

    public ApiException(HttpResponseStatus status, String message, List<String> problems) {
        super(message);
        this.status = status;
        this.problems = List.copyOf(problems);
    }

    public ApiException(HttpResponseStatus status, String message) {
        this(status, message, List.of());
    }

    public static ApiException notFound(String message) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, message);
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(HttpResponseStatus.CONFLICT, message);
    }

    public HttpResponseStatus status() {
        return status;
    }

    /** The body sent to the client. */
    public ErrorBody body() {
        return new ErrorBody(getMessage(), problems.isEmpty() ? null : problems);
    }

    /** {@code problems} is present only when there is more than the message to say (config reload). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ErrorBody(String error, List<String> problems) {
    }
}
