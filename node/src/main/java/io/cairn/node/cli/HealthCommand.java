package io.cairn.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code cairn health}: exit 0 when the node is ready, 1 with the reason when not. */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Say whether the node is live and ready; exit 1 when it is not ready.")
public final class HealthCommand extends AdminCommand {

    @Override
    AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
        return client.get("/api/v1/health");
    }

    /** 503 is the API saying "not ready": an answer to show, with exit code 1. */
    @Override
    boolean shown(AdminClient.Reply reply) {
        return reply.ok() || reply.status() == 503 && reply.json().has("ready");
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        out.println(answer.path("ready").asBoolean() ? "live, ready" : "live, not ready: " + text(answer, "reason"));
    }
}
