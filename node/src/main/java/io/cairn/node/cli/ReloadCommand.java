package io.cairn.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code cairn reload}: the node re-reads its config file; peers are added and removed, others untouched. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Make the node re-read its config file: add and remove peers without touching the others.")
public final class ReloadCommand extends AdminCommand {

    @Override
    AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
        return client.post("/api/v1/config/reload", "{}");
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        out.println("config reloaded: added [" + list(answer, "added") + "], removed [" + list(answer, "removed")
                + "], restarted [" + list(answer, "changed") + "], " + answer.path("unchanged").size() + " unchanged");
        if (!answer.path("restart_required").isEmpty()) {
            out.println("changes to " + list(answer, "restart_required") + " take effect after a restart");
        }
    }
}
