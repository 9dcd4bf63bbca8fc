package io.cairn.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.node.admin.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code cairn peer refresh|shutdown|enable PEER}: act on one session. */
@Command(name = "peer", mixinStandardHelpOptions = true,
        description = "Act on one peer: ask it to resend its routes, shut its session down, or enable it again.",
        subcommands = {PeerCommand.Refresh.class, PeerCommand.Shutdown.class, PeerCommand.Enable.class})
public final class PeerCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: refresh, shutdown or enable");
    }

    /** The peer the action is for, and the path of the action. */
    abstract static class Action extends AdminCommand {
        @Parameters(paramLabel = "PEER")
        String peer;

        String path(String action) {
            return "/api/v1/peers/" + segment(peer) + "/" + action;
        }
    }

    @Command(name = "refresh", mixinStandardHelpOptions = true,
            description = "Soft reset inbound: send ROUTE-REFRESH so the peer resends its routes (RFC 2918).")
    static final class Refresh extends Action {
        @Override
        AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
            return client.post(path("refresh"), "{}");
        }

        @Override
        void render(JsonNode answer, PrintWriter out) {
            out.println(peer + ": ROUTE-REFRESH sent for " + list(answer, "families"));
        }
    }

    @Command(name = "shutdown", mixinStandardHelpOptions = true,
            description = "Close the session with Cease / Administrative Shutdown and keep it down until enabled.")
    static final class Shutdown extends Action {
        @Option(names = "--message", paramLabel = "TEXT",
                description = "Shutdown communication sent to the peer (RFC 9003, at most 255 octets).")
        String message;

        @Override
        AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
            JsonNode body = message == null ? Json.MAPPER.createObjectNode()
                    : Json.MAPPER.createObjectNode().put("message", message);
            return client.post(path("shutdown"), body.toString());
        }

        @Override
        void render(JsonNode answer, PrintWriter out) {
            out.println(peer + ": shut down; it stays down until 'cairn peer enable " + peer + "'");
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a shut-down peer's session come up again.")
    static final class Enable extends Action {
        @Override
        AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
            return client.post(path("enable"), "{}");
        }

        @Override
        void render(JsonNode answer, PrintWriter out) {
            out.println(peer + ": enabled");
        }
    }
}
