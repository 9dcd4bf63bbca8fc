package io.cairn.node.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code cairn routes learned|advertised|best|effective}: the RIBs, as a cloud route server's learned/advertised routes. */
@Command(name = "routes", mixinStandardHelpOptions = true,
        description = "Show routes: learned from or advertised to a peer, the best routes, or what the SDN holds.",
        subcommands = {RoutesCommand.Learned.class, RoutesCommand.Advertised.class, RoutesCommand.Best.class,
            RoutesCommand.Effective.class})
public final class RoutesCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say which routes: learned, advertised, best or effective");
    }

    static final String[] ATTRIBUTE_HEADERS = {"AS Path", "Origin", "MED", "LocPrf", "Communities"};

    /** AS Path, Origin, MED, LocPrf and Communities (large ones included) of a route. */
    static List<Object> attributes(JsonNode r) {
        String communities = AdminCommand.list(r, "communities");
        String large = AdminCommand.list(r, "large_communities");
        return List.of(AdminCommand.text(r, "as_path"), AdminCommand.text(r, "origin"), AdminCommand.text(r, "med"),
                AdminCommand.text(r, "local_pref"),
                communities.isEmpty() || large.isEmpty() ? communities + large : communities + ", " + large);
    }

    static Table table(String first, String second, String... last) {
        List<String> headers = new ArrayList<>(List.of(first, second));
        headers.addAll(List.of(ATTRIBUTE_HEADERS));
        headers.addAll(List.of(last));
        return new Table(headers.toArray(String[]::new));
    }

    static Object[] cells(Object first, Object second, JsonNode route, Object... last) {
        List<Object> cells = new ArrayList<>(List.of(first, second));
        cells.addAll(attributes(route));
        cells.addAll(List.of(last));
        return cells.toArray();
    }

    @Command(name = "learned", mixinStandardHelpOptions = true,
            description = "The routes a peer sent (Adj-RIB-In); filtered and stale ones are marked.")
    static final class Learned extends AdminCommand {
        @Parameters(paramLabel = "PEER")
        String peer;

        @Override
        AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
            return client.get("/api/v1/peers/" + segment(peer) + "/routes/learned");
        }

        @Override
        void render(JsonNode answer, PrintWriter out) {
            Table t = table("Network", "Next Hop", "Status");
            for (JsonNode r : answer.path("routes")) {
                List<String> status = new ArrayList<>();
                if (r.path("best").asBoolean()) {
                    status.add("best");
                }
                if (r.path("stale").asBoolean()) {
                    status.add("stale");
                }
                if (!text(r, "filtered").isEmpty()) {
                    status.add("filtered: " + text(r, "filtered"));
                }
                t.row(cells(text(r, "prefix"), text(r, "next_hop"), r, String.join(", ", status)));
            }
            t.print(out);
        }
    }

    @Command(name = "advertised", mixinStandardHelpOptions = true,
            description = "The routes sent to a peer (Adj-RIB-Out).")
    static final class Advertised extends AdminCommand {
        @Parameters(paramLabel = "PEER")
        String peer;

        @Override
        AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
            return client.get("/api/v1/peers/" + segment(peer) + "/routes/advertised");
        }

        @Override
        void render(JsonNode answer, PrintWriter out) {
            Table t = table("Network", "Next Hop");
            for (JsonNode r : answer.path("routes")) {
                t.row(cells(text(r, "prefix"), text(r, "next_hop"), r));
            }
            t.print(out);
        }
    }

    @Command(name = "best", mixinStandardHelpOptions = true,
            description = "The best route of every prefix with its ECMP next hops (Loc-RIB); with PREFIX, the longest match.")
    static final class Best extends AdminCommand {
        @Parameters(paramLabel = "PREFIX", arity = "0..1", description = "An address or prefix to look up.")
        String prefix;

        @Override
        AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
            return client.get("/api/v1/routes/best" + (prefix == null ? "" : "?prefix=" + segment(prefix)));
        }

        @Override
        void render(JsonNode answer, PrintWriter out) {
            Table t = table("Network", "Next Hop(s)", "From");
            for (JsonNode r : answer.path("routes")) {
                List<String> from = new ArrayList<>();
                r.path("ecmp").forEach(c -> from.add(text(c, "from")));
                t.row(cells(text(r, "prefix"), list(r, "next_hops"), r.path("best"), String.join(", ", from)));
            }
            t.print(out);
        }
    }

    @Command(name = "effective", mixinStandardHelpOptions = true,
            description = "The routes the SDN holds now, read back from it.")
    static final class Effective extends AdminCommand {
        @Override
        AdminClient.Reply request(AdminClient client) throws AdminClient.Failure {
            return client.get("/api/v1/routes/effective");
        }

        @Override
        void render(JsonNode answer, PrintWriter out) {
            out.println("Driver: " + text(answer, "driver")
                    + (text(answer, "epoch").isEmpty() ? "" : "  epoch " + text(answer, "epoch")));
            if (!text(answer, "message").isEmpty()) {
                out.println(text(answer, "message"));
                return;
            }
            Table t = new Table("Network", "Next Hop(s)");
            answer.path("routes").forEach(r -> t.row(text(r, "prefix"), list(r, "next_hops")));
            t.print(out);
        }
    }
}
