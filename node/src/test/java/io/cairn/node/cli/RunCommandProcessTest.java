package io.cairn.node.cli;

import io.cairn.testsupport.Await;
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
import java.nio.charset.StandardCharsets;
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

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void daemonAdvertisesTheVnetAndCeasesOnSigterm() throws Exception {
        InetAddress node = Loopback.address(1);
        InetAddress nva = Loopback.address(2);
        int port = Loopback.freePort(node);
        Path config = Files.writeString(dir.resolve("cairn.yaml"), """
                node: {id: a, router-id: 10.1.0.4, listen: "127.0.0.1:%d"}
                vnet: {prefixes: [10.1.0.0/16], next-hop: 192.0.2.254}
                peers:
                  - {name: sdwan, address: 127.0.0.2, asn: 65001, passive: true}
                admin: {listen: "127.0.0.1:%d"}
                """.formatted(port, Loopback.freePort(node)));
        Process daemon = new ProcessBuilder(CairnJvm.command(List.of(), "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        try {
            RawPeer peer = connectWhenListening(nva, new InetSocketAddress(node, port), daemon);
            try (peer) {
                peer.establish(OpenMessage.of(65001, 90, 0x7F000002L, List.of(
                        new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
                UpdateMessage vnet = assertInstanceOf(UpdateMessage.class, peer.read(WAIT));
                assertEquals(List.of(Prefix.parse("10.1.0.0/16")), vnet.nlri());

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

    @Test
    void aClusterSectionIsRefusedRatherThanSilentlyRunStandalone() throws Exception {
        Path config = Files.writeString(dir.resolve("cairn.yaml"), """
                node: {id: a, router-id: 10.1.0.4, listen: "127.0.0.1:%d"}
                vnet: {prefixes: [10.1.0.0/16]}
                peers: [{name: sdwan, address: 127.0.0.2, asn: 65001}]
                cluster: {zookeeper: "127.0.0.1:2181", name: vnet-test}
                """.formatted(Loopback.freePort(Loopback.address(1))));
        Process daemon = new ProcessBuilder(CairnJvm.command(List.of(), "run", "--config", config.toString()))
                .redirectErrorStream(true).start();
        try {
            String output = new String(daemon.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "run did not exit");
            assertEquals(1, daemon.exitValue(), output);
            assertTrue(output.contains("cluster: the cluster section is validated but this build cannot run a cluster yet"),
                    output);
        } finally {
            daemon.destroyForcibly();
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
