package io.cairn.node.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.KeepaliveMessage;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.RouteRefreshMessage;
import io.cairn.node.rib.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.cairn.node.admin.RunningNode.WAIT;
import static io.cairn.node.admin.RunningNode.announce;
import static io.cairn.node.admin.RunningNode.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API over a real node with real sessions: every answer is what the RIB and the sessions hold. */
class AdminApiTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void queriesShowWhatTheRibAndTheSessionsHold() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001), peer("firewall", 3, 65002),
                peer("idle", 4, 65003));
             RawPeer sdwan = n.establish(2, 65001);
             RawPeer firewall = n.establish(3, 65002)) {
            sdwan.send(announce(65001, 2, "10.250.0.0/16"));
            // 10.1.5.0/24 lies inside the VNet: kept, shown, but filtered.
            firewall.send(announce(65002, 3, "0.0.0.0/0", "10.1.5.0/24"));
            Await.until("both peers' routes in the Loc-RIB", WAIT, () -> n.node.routeServer().best().join().size() >= 3);
            Http api = new Http(n.admin());

            JsonNode peers = api.get("/api/v1/peers").json().path("peers");
            assertEquals(List.of("firewall", "idle", "sdwan"), names(peers));
            JsonNode fw = peers.get(0);
            assertEquals("Established", fw.path("state").asText());
            assertEquals(65002, fw.path("asn").asLong());
            assertEquals("127.0.0.3", fw.path("router_id").asText());
            assertEquals(2, fw.path("prefixes_received").asInt());
            assertEquals(1, fw.path("prefixes_accepted").asInt(), "the VNet-overlapping prefix is not accepted");
            assertEquals(n.node.routeServer().advertised("firewall").join().size(), fw.path("prefixes_advertised").asInt());
            assertEquals(1, fw.path("updates_in").asLong());
            assertTrue(fw.path("updates_out").asLong() >= 1, "the VNet was sent to it");
            assertEquals("Active", peers.get(1).path("state").asText(), "a passive peer nobody called waits");
            assertTrue(peers.get(1).path("established_since").isNull());
            assertEquals(fw, api.get("/api/v1/peers/firewall").json(), "one peer reads as in the list");

            JsonNode learned = api.get("/api/v1/peers/firewall/routes/learned").json().path("routes");
            List<Path> inRib = n.node.routeServer().learned("firewall").join();
            assertEquals(inRib.stream().map(p -> p.prefix().toString()).toList(), prefixes(learned));
            JsonNode internet = learned.get(0);
            assertEquals("0.0.0.0/0", internet.path("prefix").asText());
            assertEquals("127.0.0.3", internet.path("next_hop").asText());
            assertEquals("65002", internet.path("as_path").asText());
            assertEquals("IGP", internet.path("origin").asText());
            assertEquals("65002:100", internet.path("communities").get(0).asText());
            assertTrue(internet.path("best").asBoolean());
            assertTrue(internet.path("filtered").isNull());
            assertEquals("vnet-overlap", learned.get(1).path("filtered").asText());
            assertFalse(learned.get(1).path("stale").asBoolean());

            JsonNode advertised = api.get("/api/v1/peers/sdwan/routes/advertised").json().path("routes");
            assertEquals(n.node.routeServer().advertised("sdwan").join().keySet().stream().map(Prefix::toString).toList(),
                    prefixes(advertised));
            assertTrue(prefixes(advertised).contains("0.0.0.0/0"), "the firewall's default route reaches the SD-WAN NVA");
            assertFalse(prefixes(advertised).contains("10.250.0.0/16"), "never back to its source");

            JsonNode best = api.get("/api/v1/routes/best").json().path("routes");
            assertEquals(n.node.routeServer().best().join().keySet().stream().map(Prefix::toString).toList(), prefixes(best));
            JsonNode match = api.get("/api/v1/routes/best?prefix=10.250.7.9").json().path("routes");
            assertEquals(List.of("10.250.0.0/16"), prefixes(match), "longest match for an address");
            assertEquals("sdwan", match.get(0).path("best").path("from").asText());
            assertEquals(List.of("127.0.0.2"), texts(match.get(0).path("next_hops")));
            assertEquals(List.of("10.1.5.0/24"), prefixes(api.get("/api/v1/routes/best?prefix=10.1.5.128/25").json().path("routes")),
                    "longest match for a prefix");
            assertEquals(List.of("0.0.0.0/0"), prefixes(api.get("/api/v1/routes/best?prefix=192.0.2.1").json().path("routes")));
        }
    }

    @Test
    void errorsAreJsonWithTheRightStatus() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001))) {
            Http api = new Http(n.admin());
            Http.Reply unknown = api.get("/api/v1/peers/nope/routes/learned");
            assertEquals(404, unknown.status());
            assertEquals("no peer called 'nope' (configured: sdwan)", unknown.json().path("error").asText());
            assertEquals(404, api.get("/api/v1/nothing").status());
            Http.Reply wrongMethod = api.send("DELETE", "/api/v1/peers/sdwan", "");
            assertEquals(405, wrongMethod.status());
            assertEquals(Optional.of("GET"), wrongMethod.headers().firstValue("allow"));
            assertEquals(405, api.get("/api/v1/config/reload").status());
            assertEquals(400, api.get("/api/v1/routes/best?prefix=10.1.0.1/16").status());
            assertEquals(400, api.post("/api/v1/peers/sdwan/shutdown", "{\"message\": 42}").status());
            assertEquals(400, api.post("/api/v1/peers/sdwan/shutdown", "{\"message\": \"" + "x".repeat(256) + "\"}").status(),
                    "RFC 9003: at most 255 octets");
            assertEquals(409, api.post("/api/v1/peers/sdwan/refresh", "").status(), "no session to refresh");
        }
    }

    @Test
    void standaloneShapesOfClusterEffectiveRoutesAndHealth() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001))) {
            Http api = new Http(n.admin());
            JsonNode cluster = api.get("/api/v1/cluster").json();
            assertEquals("standalone", cluster.path("mode").asText());
            assertTrue(cluster.path("leader").asBoolean());
            assertEquals(1, cluster.path("epoch").asLong());
            assertEquals("a", cluster.path("members").get(0).path("id").asText());
            assertTrue(cluster.path("members").get(0).path("self").asBoolean());

            JsonNode effective = api.get("/api/v1/routes/effective").json();
            assertEquals("none", effective.path("driver").asText());
            assertEquals(0, effective.path("routes").size());
            assertTrue(effective.path("message").asText().contains("no SDN driver"));

            Http.Reply health = api.get("/api/v1/health");
            assertEquals(200, health.status());
            assertEquals(Json.MAPPER.readTree("{\"live\": true, \"ready\": true}"), health.json());
            assertEquals(200, api.get("/api/v1/health/live").status());
        }
    }

    @Test
    void effectiveRoutesAreReadBackFromTheSdnAndAnUnreadableSdnIsA503() throws Exception {
        java.nio.file.Path file = dir.resolve("effective-routes.json");
        try (RunningNode n = RunningNode.start(dir, List.of(peer("sdwan", 2, 65001)), "",
                "sdn: {driver: file, file: {path: \"" + file + "\"}}\n");
             RawPeer sdwan = n.establish(2, 65001)) {
            sdwan.send(announce(65001, 2, "10.250.0.0/16"));
            Http api = new Http(n.admin());
            Await.until("the route programmed and read back", WAIT,
                    () -> get(api, "/api/v1/routes/effective").path("routes").size() == 1);

            JsonNode effective = api.get("/api/v1/routes/effective").json();
            assertEquals("file", effective.path("driver").asText());
            assertEquals(1, effective.path("epoch").asLong(), "standalone leads with epoch 1");
            JsonNode route = effective.path("routes").get(0);
            assertEquals("10.250.0.0/16", route.path("prefix").asText());
            assertEquals(List.of("127.0.0.2"), texts(route.path("next_hops")));

            // What the SDN holds, not what Cairn meant: a file nobody can parse is an error, never "no routes".
            Files.writeString(file, "not json");
            Http.Reply broken = api.get("/api/v1/routes/effective");
            assertEquals(503, broken.status());
            assertTrue(broken.json().path("error").asText().contains(file.toString()), broken.json().toString());
        }
    }

    @Test
    void notReadyUntilTheBgpListenerIsBound() throws Exception {
        try (UnstartedNode n = UnstartedNode.create()) {
            Http api = new Http(n.admin());
            Http.Reply notYet = api.get("/api/v1/health");
            assertEquals(503, notYet.status());
            assertEquals(Json.MAPPER.readTree("{\"live\": true, \"ready\": false, \"reason\": \"the BGP listener is not bound\"}"),
                    notYet.json());
            assertEquals(200, api.get("/api/v1/health/live").status(), "live all the same");
            n.node.start();
            assertEquals(200, api.get("/api/v1/health").status());
        }
    }

    @Test
    void aConfiguredTokenIsAlwaysRequired() throws Exception {
        java.nio.file.Path token = Files.writeString(dir.resolve("token"), "s3cret-token\n");
        try (RunningNode n = RunningNode.start(dir, List.of(peer("sdwan", 2, 65001)), ", token-file: " + token)) {
            for (String authorization : new String[] {null, "Bearer wrong", "Basic czNjcmV0LXRva2Vu", "Bearer s3cret-tokenX"}) {
                Http.Reply r = new Http(n.admin(), authorization).get("/api/v1/health");
                assertEquals(401, r.status(), "Authorization: " + authorization);
                assertEquals(Optional.of("Bearer realm=\"cairn\""), r.headers().firstValue("www-authenticate"));
            }
            assertEquals(200, new Http(n.admin(), "Bearer s3cret-token").get("/api/v1/peers").status());
            assertEquals(200, new Http(n.admin(), "bearer s3cret-token").get("/api/v1/health").status(),
                    "the scheme is case-insensitive (RFC 9110 11.1)");
        }
    }

    @Test
    void refreshMakesThePeerResend() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001));
             RawPeer sdwan = n.establish(2, 65001)) {
            Http.Reply r = new Http(n.admin()).post("/api/v1/peers/sdwan/refresh", "");
            assertEquals(200, r.status());
            assertEquals(List.of("ipv4-unicast"), texts(r.json().path("families")));
            RouteRefreshMessage rr = RunningNode.readUntil(sdwan, RouteRefreshMessage.class, m -> true);
            assertEquals(new RouteRefreshMessage(AddressFamily.IPV4_UNICAST, RouteRefreshMessage.NORMAL), rr);
        }
    }

    @Test
    void shutdownCeasesWithTheMessageAndKeepsThePeerDownUntilEnabled() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001))) {
            Http api = new Http(n.admin());
            try (RawPeer sdwan = n.establish(2, 65001)) {
                assertEquals(200, api.post("/api/v1/peers/sdwan/shutdown", "{\"message\": \"maintenance until 14:00 UTC\"}").status());
                NotificationMessage bye = assertInstanceOf(NotificationMessage.class, sdwan.readUntilClosed(WAIT));
                assertEquals(NotificationCode.CEASE, bye.code());
                assertEquals(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, bye.subcode());
                assertEquals(Optional.of("maintenance until 14:00 UTC"), bye.shutdownCommunication());
            }
            JsonNode down = api.get("/api/v1/peers/sdwan").json();
            assertEquals("Idle", down.path("state").asText());
            assertFalse(down.path("enabled").asBoolean());
            assertEquals(602, down.path("last_notification").path("code").asInt() * 100
                    + down.path("last_notification").path("subcode").asInt());
            try (RawPeer again = new RawPeer(Loopback.address(2), new InetSocketAddress(RunningNode.NODE, n.node.boundAddress().getPort()))) {
                BgpMessage refused = again.readUntilClosed(WAIT);
                assertEquals(new NotificationMessage(NotificationCode.CEASE, NotificationCode.CEASE_CONNECTION_REJECTED), refused,
                        "a shut-down peer stays down");
            }
            assertEquals(200, api.post("/api/v1/peers/sdwan/enable", "").status());
            try (RawPeer back = n.establish(2, 65001)) {
                Await.until("Established again", WAIT,
                        () -> "Established".equals(get(api, "/api/v1/peers/sdwan").path("state").asText()));
                assertTrue(get(api, "/api/v1/peers/sdwan").path("enabled").asBoolean());
                back.send(KeepaliveMessage.INSTANCE);
            }
        }
    }

    @Test
    void reloadAddsAndRemovesPeersWithoutTouchingTheOthers() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001), peer("firewall", 3, 65002));
             RawPeer sdwan = n.establish(2, 65001);
             RawPeer firewall = n.establish(3, 65002)) {
            sdwan.send(announce(65001, 2, "10.250.0.0/16"));
            Await.until("the SD-WAN route", WAIT, () -> n.node.routeServer().best().join().containsKey(Prefix.parse("10.250.0.0/16")));
            Http api = new Http(n.admin());
            long establishedSince = n.node.peer("sdwan").establishedAtMillis();

            n.rewritePeers(peer("sdwan", 2, 65001), peer("vpn", 4, 65004));
            Http.Reply r = api.post("/api/v1/config/reload", "");
            assertEquals(200, r.status(), r.json().toString());
            assertEquals(List.of("vpn"), texts(r.json().path("added")));
            assertEquals(List.of("firewall"), texts(r.json().path("removed")));
            assertEquals(List.of("sdwan"), texts(r.json().path("unchanged")));

            NotificationMessage bye = assertInstanceOf(NotificationMessage.class, firewall.readUntilClosed(WAIT));
            assertEquals(new NotificationMessage(NotificationCode.CEASE, NotificationCode.CEASE_PEER_DECONFIGURED), bye);
            assertEquals(List.of("sdwan", "vpn"), names(api.get("/api/v1/peers").json().path("peers")));
            try (RawPeer vpn = n.establish(4, 65004)) {
                Await.until("the new peer Established", WAIT,
                        () -> "Established".equals(get(api, "/api/v1/peers/vpn").path("state").asText()));
                vpn.send(KeepaliveMessage.INSTANCE);
            }
            // The SD-WAN session is the same one: no flap, same start, and it still works.
            JsonNode sd = api.get("/api/v1/peers/sdwan").json();
            assertEquals("Established", sd.path("state").asText());
            assertEquals(0, sd.path("flaps").asInt());
            assertEquals(establishedSince, n.node.peer("sdwan").establishedAtMillis());
            sdwan.send(announce(65001, 2, "10.251.0.0/16"));
            Await.until("a route over the untouched session", WAIT,
                    () -> n.node.routeServer().best().join().containsKey(Prefix.parse("10.251.0.0/16")));
            assertEquals(404, api.get("/api/v1/peers/firewall").status());
        }
    }

    @Test
    void anInvalidConfigChangesNothing() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001))) {
            Files.writeString(n.configFile, Files.readString(n.configFile)
                    + "  - {name: sdwan, address: 127.0.0.9, asn: 65009}\n  - {name: bad, address: 10.0.0.1/8, asn: 1}\n");
            Http.Reply r = new Http(n.admin()).post("/api/v1/config/reload", "");
            assertEquals(400, r.status());
            List<String> problems = texts(r.json().path("problems"));
            assertEquals(2, problems.size(), problems.toString());
            assertTrue(problems.get(0).startsWith("peers[1].name: duplicate"), problems.get(0));
            assertTrue(problems.get(1).startsWith("peers[2].address"), problems.get(1));
            assertEquals(List.of("sdwan"), names(new Http(n.admin()).get("/api/v1/peers").json().path("peers")));
        }
    }

    private static JsonNode get(Http api, String path) {
        try {
            return api.get(path).json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> names(JsonNode peers) {
        List<String> names = new ArrayList<>();
        peers.forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    static List<String> prefixes(JsonNode routes) {
        List<String> prefixes = new ArrayList<>();
        routes.forEach(r -> prefixes.add(r.path("prefix").asText()));
        return prefixes;
    }

    static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
