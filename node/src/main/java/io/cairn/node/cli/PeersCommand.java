package io.cairn.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** {@code cairn peers}: every session with its state and prefix counts, like {@code birdc show protocols}. */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "Show every peer: state, uptime, prefixes received, accepted and advertised.")
public final class PeersCommand extends AdminCommand {

    @Override
    AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
        return client.get("/api/v1/peers");
    }

    @Override
    void render(JsonNode answer, PrintWriter out) {
        Table t = new Table("Peer", "Address", "AS", "State", "Uptime", "Received", "Accepted", "Advertised", "Flaps",
                "Last error");
        for (JsonNode p : answer.path("peers")) {
            String state = text(p, "state") + (p.path("enabled").asBoolean(true) ? "" : " (admin down)");
            t.row(text(p, "name"), text(p, "address"), text(p, "asn"), state,
                    uptime(p.path("uptime_seconds").asLong(), text(p, "established_since").isEmpty()),
                    text(p, "prefixes_received"), text(p, "prefixes_accepted"), text(p, "prefixes_advertised"),
                    text(p, "flaps"), text(p, "last_error"));
        }
        t.print(out);
    }

    /** As gobgp shows it: 00:05:12, or 2d 03:04:05. */
    static String uptime(long seconds, boolean down) {
        if (down) {
            return "";
        }
        long days = seconds / 86_400;
        String hms = String.format("%02d:%02d:%02d", seconds / 3600 % 24, seconds / 60 % 60, seconds % 60);
        return days == 0 ? hms : days + "d " + hms;
    }
}
