package io.cairn.node.cli;

import io.cairn.node.admin.Http;
import io.cairn.node.admin.Json;
import io.cairn.node.admin.RunningNode;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

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

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    @Test
    void queriesPrintTablesAndJson() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001), peer("firewall", 3, 65002));
             RawPeer sdwan = n.establish(2, 65001)) {
            sdwan.send(announce(65001, 2, "10.250.0.0/16", "10.1.9.0/24"));
            Await.until("the SD-WAN routes in the Loc-RIB", WAIT,
                    () -> n.node.routeServer().best().join().containsKey(Prefix.parse("10.250.0.0/16")));

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

            Run learned = cairn(n, "routes", "learned", "sdwan");
            assertEquals(0, learned.exit(), learned.err());
            assertEquals("Network  Next Hop  AS Path  Origin  MED  LocPrf  Communities  Status",
                    learned.lines().get(0).replaceAll("\\s{2,}", "  "));
            // Selected in the Loc-RIB, but never programmed into the SDN: both are shown.
            assertEquals("10.1.9.0/24  127.0.0.2  65001  IGP  -  -  65001:100  best, filtered: vnet-overlap",
                    learned.lines().get(1).replaceAll("\\s{2,}", "  "));
            assertEquals("10.250.0.0/16  127.0.0.2  65001  IGP  -  -  65001:100  best",
                    learned.lines().get(2).replaceAll("\\s{2,}", "  "));

            Run best = cairn(n, "routes", "best", "10.250.3.4");
            assertEquals(0, best.exit(), best.err());
            assertEquals("10.250.0.0/16  127.0.0.2  65001  IGP  -  -  65001:100  sdwan",
                    best.lines().get(1).replaceAll("\\s{2,}", "  "));

            Run advertised = cairn(n, "routes", "advertised", "sdwan", "--json");
            assertEquals(new Http(n.admin()).get("/api/v1/peers/sdwan/routes/advertised").json(),
                    Json.MAPPER.readTree(advertised.out()), "--json prints the API's JSON");

            Run effective = cairn(n, "routes", "effective");
            assertEquals(0, effective.exit());
            assertEquals("Driver: none", effective.lines().get(0));

            Run cluster = cairn(n, "cluster");
            assertEquals(0, cluster.exit());
            assertTrue(cluster.out().contains("a (this node)  leader"), cluster.out());

            Run health = cairn(n, "health");
            assertEquals(new Run(0, "live, ready\n", ""), health);
        }
    }

    @Test
    void actionsAndErrors() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001), peer("firewall", 3, 65002));
             RawPeer sdwan = n.establish(2, 65001);
             RawPeer firewall = n.establish(3, 65002)) {
            Run refresh = cairn(n, "peer", "refresh", "sdwan");
            assertEquals(new Run(0, "sdwan: ROUTE-REFRESH sent for ipv4-unicast\n", ""), refresh);
            RunningNode.readUntil(sdwan, RouteRefreshMessage.class, m -> true);

            Run shutdown = cairn(n, "peer", "shutdown", "firewall", "--message", "moving racks");
            assertEquals(0, shutdown.exit(), shutdown.err());
            NotificationMessage bye = assertInstanceOf(NotificationMessage.class, firewall.readUntilClosed(WAIT));
            assertEquals(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, bye.subcode());
            assertEquals(Optional.of("moving racks"), bye.shutdownCommunication());
            assertTrue(cairn(n, "peers").out().contains("Idle (admin down)"));
            assertEquals(0, cairn(n, "peer", "enable", "firewall").exit());

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
    void tokenFromAFile() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
        try (RunningNode n = RunningNode.start(dir, List.of(peer("sdwan", 2, 65001)), ", token-file: " + token)) {
            assertEquals(new Run(1, "", "cairn: the admin API at " + n.admin() + " refused the request: it needs a token (--token-file)\n"),
                    cairn(n, "health"));
            assertEquals(new Run(0, "live, ready\n", ""), cairn(n, "health", "--token-file", token.toString()));
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

    /** Runs {@code cairn ARGS} in its own JVM, as the launcher would. */
    private Run cairn(Map<String, String> env, String... args) throws Exception {
        // The main classpath only: the CLI logs as the launcher's would, not into the tests' log file.
        List<String> command = CairnJvm.command(CairnJvm.mainClasspath(), List.of("-XX:TieredStopAtLevel=1"), args);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("CAIRN_ADMIN");
        pb.environment().remove("CAIRN_ADMIN_TOKEN_FILE");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cairn " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
