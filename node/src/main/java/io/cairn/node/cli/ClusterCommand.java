package io.cairn.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code cairn cluster}: members, leader, epoch, replication lag per origin. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Show the cluster: members, the leader and its epoch, replication lag per member.")
public final class ClusterCommand extends AdminCommand {

    @Override
    AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
        return client.get("/api/v1/cluster");
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        out.println("Mode: " + text(answer, "mode") + "  Epoch: " + text(answer, "epoch"));
        Table t = new Table("Member", "Role", "Replication", "Lag");
        for (JsonNode m : answer.path("members")) {
            JsonNode replicating = m.path("replicating");
            t.row(text(m, "id") + (m.path("self").asBoolean() ? " (this node)" : ""),
                    m.path("leader").asBoolean() ? "leader" : "follower",
                    replicating.isBoolean() ? (replicating.asBoolean() ? "streaming" : "down") : "-",
                    text(m, "replication_lag"));
        }
        t.print(out);
    }
}
