package io.cairn.node.admin;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Maps method and path to an endpoint. Templates are literal segments and {@code {name}}
 * parameters; an unknown path is 404, a known path with another method 405 (with Allow).
 */
public final class Router {

    /** Handles one request; may throw {@link ApiException} or complete with one. */
    @FunctionalInterface
    public interface Endpoint {
        CompletableFuture<ApiResponse> handle(ApiRequest request);
    }

    /** An endpoint with the path parameters it was matched with. */
    public record Match(Endpoint endpoint, Map<String, String> pathParams) {
    }

    private record Route(String[] template, Map<HttpMethod, Endpoint> byMethod) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String template, Endpoint endpoint) {
        return add(HttpMethod.GET, template, endpoint);
    }

    public Router post(String template, Endpoint endpoint) {
        return add(HttpMethod.POST, template, endpoint);
    }

    private Router add(HttpMethod method, String template, Endpoint endpoint) {
        String[] segments = segments(template);
        Route route = routes.stream().filter(r -> Arrays.equals(r.template, segments))
                .findFirst().orElseGet(() -> {
                    Route r = new Route(segments, new LinkedHashMap<>());
                    routes.add(r);
                    return r;
                });
        route.byMethod.put(method, endpoint);
        return this;
    }

    /** The endpoint for {@code method} and {@code path}, or an {@link ApiException} 404 / 405. */
    public Match route(HttpMethod method, String path) {
        String[] segments = segments(path);
        for (Route r : routes) {
            Map<String, String> params = match(r.template, segments);
            if (params == null) {
                continue;
            }
            Endpoint e = r.byMethod.get(method);
            if (e == null) {
                TreeSet<String> allowed = new TreeSet<>();
                r.byMethod.keySet().forEach(m -> allowed.add(m.name()));
                throw new MethodNotAllowed(method, path, String.join(", ", allowed));
            }
            return new Match(e, params);
        }
        throw ApiException.notFound("no such resource: " + path);
    }

    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new HashMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }

    /** 405, carrying the methods the resource does allow (RFC 9110 15.5.6: Allow is required). */
    public static final class MethodNotAllowed extends ApiException {
        private final String allow;

        MethodNotAllowed(HttpMethod method, String path, String allow) {
            super(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed on " + path + " (allowed: " + allow + ")");
            this.allow = allow;
        }

        public String allow() {
            return allow;
        }
    }
}
