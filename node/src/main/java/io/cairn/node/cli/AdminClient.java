package io.cairn.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.node.admin.Json;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;

/**
 * The CLI's side of the admin API: one request, its status and JSON, or one line saying why not.
 * {@code cairn demo} reads its nodes through it too.
 */
public final class AdminClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than the server's own timeout, so its 503 arrives rather than ours. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

    /** Anything that stops a command, said in one line. */
    public static final class Failure extends Exception {
        Failure(String message) {
            super(message);
        }
    }

    public record Reply(int status, String body, JsonNode json) {
        public boolean ok() {
            return status / 100 == 2;
        }

        /** The API's {"error": ...} text, or the status when the body has none. */
        public String error() {
            JsonNode e = json.path("error");
            return e.isTextual() ? e.asText() : "HTTP " + status;
        }
    }

    private final String admin;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    AdminClient(AdminOptions options) throws Failure {
        this.admin = options.admin;
        this.token = options.tokenFile == null ? null : readToken(options);
    }

    /** A client of the admin API at {@code admin} (HOST:PORT) that needs no token. */
    public AdminClient(String admin) {
        this.admin = admin;
        this.token = null;
    }

    private static String readToken(AdminOptions options) throws Failure {
        try {
            return Files.readString(options.tokenFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new Failure("cannot read the token file " + options.tokenFile + ": " + e);
        }
    }

    public Reply get(String path) throws Failure {
        return send(builder(path).GET());
    }

    Reply post(String path, String jsonBody) throws Failure {
        return send(builder(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder builder(String path) throws Failure {
        URI uri;
        try {
            uri = URI.create("http://" + admin + path);
        } catch (IllegalArgumentException e) {
            throw new Failure("--admin " + admin + ": not HOST:PORT (" + e.getMessage() + ")");
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new Failure("--admin " + admin + ": not HOST:PORT");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Reply send(HttpRequest.Builder request) throws Failure {
        HttpResponse<String> r;
        try {
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            // The JDK gives no message for a refused connection.
            String why = e.getMessage() == null ? "connection refused" : e.getMessage().toLowerCase(Locale.ROOT);
            throw new Failure("cannot reach the admin API at " + admin + ": " + why);
        } catch (HttpConnectTimeoutException e) {
            throw new Failure("cannot reach the admin API at " + admin + ": no answer within " + CONNECT_TIMEOUT.toSeconds() + " s");
        } catch (HttpTimeoutException e) {
            throw new Failure("the admin API at " + admin + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new Failure("cannot reach the admin API at " + admin + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted");
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new Failure("the admin API at " + admin + " answered HTTP " + r.statusCode() + " with something that is not JSON");
        }
        if (r.statusCode() == 401) {
            throw new Failure("the admin API at " + admin + " refused the request: "
                    + (token == null ? "it needs a token (--token-file)" : "wrong token"));
        }
        return new Reply(r.statusCode(), r.body(), json == null ? Json.MAPPER.createObjectNode() : json);
    }
}
