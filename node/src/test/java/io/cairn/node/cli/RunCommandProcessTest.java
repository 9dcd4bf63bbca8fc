package io.cairn.node.cli;

import io.cairn.testsupport.Await;
import io.cairn.node.admin.Http;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code cairn run --config FILE} as a real process: it serves its peers and says goodbye on SIGTERM. */
class RunCommandProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void daemonAdvertisesTheVnetAndCeasesOnSigterm() throws Exception {
        int port = Loopback.freePort(NODE);
        Process daemon = startDaemon(port, System.getProperty("java.class.path"), "");
        try {
            RawPeer peer = connectWhenListening(NVA, new InetSocketAddress(NODE, port), daemon);
            try (peer) {
                establishAndReadTheVnet(peer);

                daemon.destroy(); // SIGTERM, as systemd stops it
                BgpMessage last = peer.readUntilClosed(WAIT);
                NotificationMessage bye = assertInstanceOf(NotificationMessage.class, last);
                assertEquals(NotificationCode.CEASE, bye.code());
                assertEquals(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, bye.subcode());
                assertEquals(Optional.of("cairn is shutting down"), bye.shutdownCommunication());
            }
            assertTrue(daemon.waitFor(15, TimeUnit.SECONDS), "the daemon did not exit after SIGTERM");
        } finally {
            daemon.destroyForcibly();
        }
    }

    /**
     * With the start-up warm-up on, as the Ansible role has it: the JIT warm-up runs before the
     * listener opens, then the peer is served as usual.
     */
    @Test
    void aDaemonWithTheWarmUpOnWarmsUpBeforeItsSessionsOpen() throws Exception {
        int port = Loopback.freePort(NODE);
        // The shipped logging, as the launcher's: the warm-up's INFO line goes to the daemon's log.
        Process daemon = startDaemon(port, CairnJvm.mainClasspath(), "rib: {warm-up: true}\n");
        try (RawPeer peer = connectWhenListening(NVA, new InetSocketAddress(NODE, port), daemon)) {
            assertTrue(Files.readString(dir.resolve("daemon.log")).contains("warm-up: 3 rounds"),
                    "the warm-up ran, all of it, before the listener opened");
            establishAndReadTheVnet(peer); // and nothing of the warm-up's table
        } finally {
            daemon.destroyForcibly();
            daemon.waitFor(15, TimeUnit.SECONDS);
        }
    }

    private static final InetAddress NODE = Loopback.address(1);
    private static final InetAddress NVA = Loopback.address(2);

    /** {@code cairn run} on 127.0.0.1:{@code port}, one passive NVA at 127.0.0.2, {@code extra} YAML appended. */
    private Process startDaemon(int port, String classpath, String extra) throws Exception {
        Path config = Files.writeString(dir.resolve("cairn.yaml"), """
                node: {id: a, router-id: 10.1.0.4, listen: "127.0.0.1:%d"}
                vnet: {prefixes: [10.1.0.0/16], next-hop: 192.0.2.254}
                peers:
                  - {name: sdwan, address: 127.0.0.2, asn: 65001, passive: true}
                admin: {listen: "127.0.0.1:%d"}
                """.formatted(port, Loopback.freePort(NODE)) + extra);
        return new ProcessBuilder(CairnJvm.command(classpath, List.of(), "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
    }

    /** The NVA's session comes up and its first UPDATE is the VNet prefix alone. */
    private static void establishAndReadTheVnet(RawPeer peer) throws Exception {
        peer.establish(OpenMessage.of(65001, 90, 0x7F000002L, List.of(
                new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
        UpdateMessage vnet = assertInstanceOf(UpdateMessage.class, peer.read(WAIT));
        assertEquals(List.of(Prefix.parse("10.1.0.0/16")), vnet.nlri());
    }

    @Test
    void withZooKeeperUnreachableTheNodeServesBgpButNeverLeads() throws Exception {
        InetAddress node = Loopback.address(1);
        InetAddress nva = Loopback.address(2);
        int port = Loopback.freePort(node);
        int admin = Loopback.freePort(node);
        // Nothing listens there: the ensemble is down for this whole test.
        int zookeeper = Loopback.freePort(node);
        Path config = Files.writeString(dir.resolve("cairn.yaml"), """
                node: {id: a, router-id: 10.1.0.4, listen: "127.0.0.1:%d"}
                vnet: {prefixes: [10.1.0.0/16], next-hop: 192.0.2.254}
                peers: [{name: sdwan, address: 127.0.0.2, asn: 65001, passive: true}]
                admin: {listen: "127.0.0.1:%d"}
                cluster: {zookeeper: "127.0.0.1:%d", name: vnet-test, session-timeout: 2s,
                          replication: {listen: "127.0.0.1:%d"}}
                sdn: {driver: file, file: {path: "%s"}}
                """.formatted(port, admin, zookeeper, Loopback.freePort(node), dir.resolve("routes.json")));
        Process daemon = new ProcessBuilder(CairnJvm.command(List.of(), "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        try (RawPeer peer = connectWhenListening(nva, new InetSocketAddress(node, port), daemon)) {
            peer.establish(OpenMessage.of(65001, 90, 0x7F000002L, List.of(
                    new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
            UpdateMessage vnet = assertInstanceOf(UpdateMessage.class, peer.read(WAIT));
            assertEquals(List.of(Prefix.parse("10.1.0.0/16")), vnet.nlri());

            Http api = new Http("127.0.0.1:" + admin);
            assertEquals("cluster", api.get("/api/v1/cluster").json().get("mode").asText());
            // Past the start's wait for ZooKeeper (the session timeout): still serving, still not leading.
            Await.never("the node leads without ZooKeeper", Duration.ofSeconds(4),
                    () -> leads(api) || Files.exists(dir.resolve("routes.json")));
            assertTrue(daemon.isAlive(), "the daemon exited");
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static boolean leads(Http api) {
        try {
            return api.get("/api/v1/cluster").json().get("leader").asBoolean();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RawPeer connectWhenListening(InetAddress from, InetSocketAddress to, Process daemon) {
        RawPeer[] connected = new RawPeer[1];
        Await.until("the daemon to listen on " + to, WAIT, () -> {
            assertTrue(daemon.isAlive(), "the daemon exited early");
            try {
                connected[0] = new RawPeer(from, to);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return connected[0];
    }
}
