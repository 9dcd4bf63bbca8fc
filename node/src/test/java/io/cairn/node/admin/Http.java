package io.cairn.node.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the admin API, with or without a bearer token. */
public final class Http {

    public record Reply(int status, HttpHeaders headers, JsonNode json) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    public Http(String hostPort, String authorization) {
        this.base = "http://" + hostPort;
        this.authorization = authorization;
    }

    public Http(String hostPort) {
        this(hostPort, null);
    }

    public Reply get(String path) throws Exception {
        return send("GET", path, "");
    }

    public Reply post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    public Reply send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.headers(), Json.MAPPER.readTree(r.body()));
    }
}
