package io.cairn.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * A command that makes one admin API request and shows the answer: a table by default, the
 * API's own JSON with {@code --json}. Exit 0 on success; otherwise 1 and one line on stderr.
 */
abstract class AdminCommand implements Callable<Integer> {

    @Mixin
    AdminOptions options;

    @Option(names = "--json", description = "Print the admin API's JSON instead of a table.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** Makes the request. */
    abstract AdminClient.Reply request(AdminClient client) throws AdminClient.Failure;

    /** Shows a successful answer. */
    abstract void render(JsonNode answer, PrintWriter out);

    /** Whether an answer with this status is shown rather than reported as an error (health: 503). */
    boolean shown(AdminClient.Reply reply) {
        return reply.ok();
    }

    /** The exit code for an answer that was shown. */
    int exitCode(AdminClient.Reply reply) {
        return reply.ok() ? 0 : 1;
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        AdminClient.Reply reply;
        try {
            reply = request(new AdminClient(options));
        } catch (AdminClient.Failure f) {
            err.println("cairn: " + f.getMessage());
            return 1;
        }
        if (!shown(reply)) {
            err.println("cairn: " + reply.error());
            reply.json().path("problems").forEach(p -> err.println("  " + p.asText()));
            return 1;
        }
        if (json) {
            out.println(reply.body());
        } else {
            render(reply.json(), out);
        }
        return exitCode(reply);
    }

    /** A peer name as one path segment. */
    static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A JSON field as text; absent or null is empty (the table shows it as "-"). */
    static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? "" : v.asText();
    }

    /** A JSON array of strings, comma-separated. */
    static String list(JsonNode n, String field) {
        StringBuilder sb = new StringBuilder();
        n.path(field).forEach(v -> sb.append(sb.isEmpty() ? "" : ", ").append(v.asText()));
        return sb.toString();
    }
}
