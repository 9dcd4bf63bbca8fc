package io.cairn.node.cli;

import io.cairn.node.admin.Http;
import io.cairn.node.admin.Json;
import io.cairn.node.admin.RunningNode;
import io.cairn.node.admin.UnstartedNode;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cairn.node.cli.CairnCli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.cairn.node.admin.RunningNode.WAIT;
import static io.cairn.node.admin.RunningNode.announce;
import static io.cairn.node.admin.RunningNode.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code cairn} CLI as a separate process against a running node: its tables, its JSON and its exit codes. */
class CliProcessTest {

    @TempDir
    Path dir;

    @Test
    void queriesPrintTablesAndJson() throws Exception {
        Path sdn = dir.resolve("effective-routes.json");
        try (RunningNode n = RunningNode.start(dir, List.of(peer("sdwan", 2, 65001), peer("firewall", 3, 65002)), "",
                "sdn: {driver: file, file: {path: \"" + sdn + "\"}}\n");
             RawPeer sdwan = n.establish(2, 65001)) {
            sdwan.send(announce(65001, 2, "10.250.0.0/16", "10.1.9.0/24"));
            Await.until("the SD-WAN route programmed", WAIT,
                    () -> n.node.sdnHealth().orElseThrow().routesProgrammed() == 1);

            Run peers = cairn(n, "peers");
            assertEquals(0, peers.exit(), peers.err());
            assertEquals(List.of("Peer", "Address", "AS", "State", "Uptime", "Received", "Accepted", "Advertised", "Flaps",
                    "Last error"), List.of(peers.lines().get(0).split("\\s{2,}")));
            assertEquals(List.of("firewall", "127.0.0.3", "65002", "Active", "-", "0", "0", "0", "0", "-"),
                    List.of(peers.lines().get(1).split("\\s+")));
            List<String> sd = List.of(peers.lines().get(2).split("\\s+"));
            assertEquals(List.of("sdwan", "127.0.0.2", "65001", "Established"), sd.subList(0, 4));
            assertTrue(sd.get(4).matches("\\d\\d:\\d\\d:\\d\\d"), "uptime " + sd.get(4));
            assertEquals(List.of("2", "1"), sd.subList(5, 7), "10.1.9.0/24 is inside the VNet: received, not accepted");
            // The uptime ticks between the two reads: every other field is the API's.
            assertEquals(withoutUptime(api(n, "/api/v1/peers")), withoutUptime(json(n, "peers")));

            Run learned = cairn(n, "routes", "learned", "sdwan");
            assertEquals(0, learned.exit(), learned.err());
            assertEquals("Network  Next Hop  AS Path  Origin  MED  LocPrf  Communities  Status", learned.row(0));
            // Selected in the Loc-RIB, but never programmed into the SDN: both are shown.
            assertEquals("10.1.9.0/24  127.0.0.2  65001  IGP  -  -  65001:100  best, filtered: vnet-overlap", learned.row(1));
            assertEquals("10.250.0.0/16  127.0.0.2  65001  IGP  -  -  65001:100  best", learned.row(2));
            assertEquals(api(n, "/api/v1/peers/sdwan/routes/learned"), json(n, "routes", "learned", "sdwan"));

            Run best = cairn(n, "routes", "best", "10.250.3.4");
            assertEquals(0, best.exit(), best.err());
            assertEquals("10.250.0.0/16  127.0.0.2  65001  IGP  -  -  65001:100  sdwan", best.row(1));
            assertEquals(api(n, "/api/v1/routes/best?prefix=10.250.3.4"), json(n, "routes", "best", "10.250.3.4"));
            Run all = cairn(n, "routes", "best");
            assertEquals(List.of("Network  Next Hop(s)  AS Path  Origin  MED  LocPrf  Communities  From",
                    "10.1.0.0/16  -  65515  IGP  -  -  -  local",
                    "10.1.9.0/24  127.0.0.2  65001  IGP  -  -  65001:100  sdwan",
                    "10.250.0.0/16  127.0.0.2  65001  IGP  -  -  65001:100  sdwan"),
                    all.lines().stream().map(l -> l.replaceAll("\\s{2,}", "  ")).toList());
            assertEquals(api(n, "/api/v1/routes/best"), json(n, "routes", "best"));

            // The VNet route and the firewall's nothing: sdwan gets only what is not its own.
            Run advertised = cairn(n, "routes", "advertised", "sdwan");
            assertEquals(0, advertised.exit(), advertised.err());
            assertEquals(List.of("10.1.0.0/16", "192.0.2.254"), List.of(advertised.lines().get(1).split("\\s+")).subList(0, 2));
            assertEquals(2, advertised.lines().size(), advertised.out());
            assertEquals(api(n, "/api/v1/peers/sdwan/routes/advertised"), json(n, "routes", "advertised", "sdwan"),
                    "--json prints the API's JSON");

            Run effective = cairn(n, "routes", "effective");
            assertEquals(List.of("Driver: file  epoch 1", "Network  Next Hop(s)", "10.250.0.0/16  127.0.0.2"),
                    effective.lines().stream().map(l -> l.replaceAll("\\s{2,}", "  ")).toList());
            assertEquals(api(n, "/api/v1/routes/effective"), json(n, "routes", "effective"));

            Run cluster = cairn(n, "cluster");
            assertEquals(List.of("Mode: standalone  Epoch: 1", "Member  Role  Replication  Lag", "a (this node)  leader  -  -"),
                    cluster.lines().stream().map(l -> l.replaceAll("\\s{2,}", "  ").strip()).toList());
            assertEquals(api(n, "/api/v1/cluster"), json(n, "cluster"));

            Run health = cairn(n, "health");
            assertEquals(new Run(0, "live, ready\n", ""), health);
            assertEquals(api(n, "/api/v1/health"), json(n, "health"));
        }
    }

    /** The API's answer at {@code path}. */
    private static JsonNode api(RunningNode n, String path) throws Exception {
        return new Http(n.admin()).get(path).json();
    }

    /** {@code cairn ARGS --json}, which must succeed, parsed. */
    private JsonNode json(RunningNode n, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        Run run = cairn(n, all.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        return Json.MAPPER.readTree(run.out());
    }

    private static JsonNode withoutUptime(JsonNode peers) {
        peers.path("peers").forEach(p -> ((ObjectNode) p).remove("uptime_seconds"));
        return peers;
    }

    @Test
    void actionsAndErrors() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001), peer("firewall", 3, 65002));
             RawPeer sdwan = n.establish(2, 65001);
             RawPeer firewall = n.establish(3, 65002)) {
            Run refresh = cairn(n, "peer", "refresh", "sdwan");
            assertEquals(new Run(0, "sdwan: ROUTE-REFRESH sent for ipv4-unicast\n", ""), refresh);
            RunningNode.readUntil(sdwan, RouteRefreshMessage.class, m -> true);
            assertEquals(Json.MAPPER.readTree("{\"peer\": \"sdwan\", \"families\": [\"ipv4-unicast\"]}"),
                    json(n, "peer", "refresh", "sdwan"));
            RunningNode.readUntil(sdwan, RouteRefreshMessage.class, m -> true);

            Run shutdown = cairn(n, "peer", "shutdown", "firewall", "--message", "moving racks");
            assertEquals(new Run(0, "firewall: shut down; it stays down until 'cairn peer enable firewall'\n", ""), shutdown);
            NotificationMessage bye = assertInstanceOf(NotificationMessage.class, firewall.readUntilClosed(WAIT));
            assertEquals(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, bye.subcode());
            assertEquals(Optional.of("moving racks"), bye.shutdownCommunication());
            assertTrue(cairn(n, "peers").out().contains("Idle (admin down)"));
            assertEquals(new Run(0, "firewall: enabled\n", ""), cairn(n, "peer", "enable", "firewall"));
            JsonNode enabled = json(n, "peer", "enable", "firewall");
            assertEquals(List.of("firewall", "true"), List.of(enabled.path("peer").asText(), enabled.path("enabled").asText()));
            assertEquals(Json.MAPPER.readTree("{\"peer\": \"sdwan\", \"enabled\": false, \"state\": \"Idle\"}"),
                    json(n, "peer", "shutdown", "sdwan", "--message", "bye"));

            assertEquals(new Run(0, "config reloaded: added [], removed [], restarted [], 2 unchanged\n", ""),
                    cairn(n, "reload"));
            JsonNode reloaded = json(n, "reload");
            assertEquals(List.of("sdwan", "firewall"), List.of(reloaded.path("unchanged").get(0).asText(),
                    reloaded.path("unchanged").get(1).asText()), reloaded.toString());
            assertEquals(0, reloaded.path("added").size() + reloaded.path("removed").size() + reloaded.path("changed").size());

            Run unknown = cairn(n, "routes", "learned", "nope");
            assertEquals(new Run(1, "", "cairn: no peer called 'nope' (configured: firewall, sdwan)\n"), unknown);

            Files.writeString(n.configFile, Files.readString(n.configFile).replace("asn: 65002", "asn: -1"));
            Run invalid = cairn(n, "reload");
            assertEquals(1, invalid.exit());
            assertTrue(invalid.err().startsWith("cairn: " + n.configFile + ": not valid; nothing changed\n  peers[1].asn: "),
                    invalid.err());

            int nobody = Loopback.freePort(RunningNode.NODE);
            Run refused = cairn(Map.of(), "peers", "--admin", "127.0.0.1:" + nobody);
            assertEquals(new Run(1, "", "cairn: cannot reach the admin API at 127.0.0.1:" + nobody + ": connection refused\n"), refused);
            assertEquals(1, cairn(Map.of("CAIRN_ADMIN", "127.0.0.1:" + nobody), "health").exit(),
                    "CAIRN_ADMIN chooses the node");
        }
    }

    @Test
    void healthSaysWhyANodeIsNotReadyAndExits1() throws Exception {
        try (UnstartedNode n = UnstartedNode.create()) {
            String address = n.admin();
            assertEquals(new Run(1, "live, not ready: the BGP listener is not bound\n", ""),
                    cairn(Map.of(), "health", "--admin", address));
            Run json = cairn(Map.of(), "health", "--json", "--admin", address);
            assertEquals(1, json.exit());
            assertEquals(new Http(address).get("/api/v1/health").json(), Json.MAPPER.readTree(json.out()));
        }
    }

    @Test
    void tokenFromAFile() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
        try (RunningNode n = RunningNode.start(dir, List.of(peer("sdwan", 2, 65001)), ", token-file: " + token)) {
            assertEquals(new Run(1, "", "cairn: the admin API at " + n.admin() + " refused the request: it needs a token (--token-file)\n"),
                    cairn(n, "health"));
            assertEquals(new Run(0, "live, ready\n", ""), cairn(n, "health", "--token-file", token.toString()));
            assertEquals(new Run(0, "live, ready\n", ""), cairn(Map.of("CAIRN_ADMIN_TOKEN_FILE", token.toString()),
                    "health", "--admin", n.admin()), "the token file from the environment");
            Path wrong = Files.writeString(dir.resolve("wrong"), "t0kenX\n");
            assertEquals(new Run(1, "", "cairn: the admin API at " + n.admin() + " refused the request: wrong token\n"),
                    cairn(n, "peers", "--token-file", wrong.toString()));
        }
    }

    private Run cairn(RunningNode n, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--admin")) {
            all.add("--admin");
            all.add(n.admin());
        }
        return cairn(Map.of(), all.toArray(String[]::new));
    }

    private Run cairn(Map<String, String> env, String... args) throws Exception {
        return CairnCli.run(dir, env, args);
    }
}
