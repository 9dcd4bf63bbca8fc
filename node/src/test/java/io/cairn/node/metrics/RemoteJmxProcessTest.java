package io.cairn.node.metrics;

import io.cairn.node.admin.RunningNode;
import io.cairn.node.cli.CairnJvm;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.interop.BirdDaemon;
import io.cairn.node.interop.DaemonSpec;
import io.cairn.node.interop.Route;
import io.cairn.node.interop.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cairn run} with the README's remote JMX settings: a JMX client connects to the
 * daemon's JMX port and reads the per-peer MBeans while a BIRD peer announces and withdraws.
 */
class RemoteJmxProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aRemoteJmxClientSeesThePeerCountsMove() throws Exception {
        Tools.requireBinaries(List.of("bird", "birdc"));
        InetAddress node = Loopback.address(1);
        int bgpPort = Loopback.freePort(node);
        int jmxPort = Loopback.freePort(node);
        Path config = Files.writeString(dir.resolve("cairn.yaml"), RunningNode.yaml(bgpPort, Loopback.freePort(node), "", "",
                List.of(RunningNode.peer("sdwan", 2, 65001))));
        Process daemon = new ProcessBuilder(CairnJvm.command(RemoteJmx.jvmOptions(jmxPort),
                "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        try (RemoteJmx mbeans = RemoteJmx.connect(jmxPort, daemon, WAIT)) {
            // Idle while the journal replays, then Active: a passive peer waits for its NVA.
            Await.until("the peer Active", WAIT, () -> Long.valueOf(3).equals(mbeans.value("cairn.peer.sdwan.state")));
            // Standalone: a cluster of one that this node leads with epoch 1, as DESIGN.md says. The
            // peers start before the leadership does, so Active alone does not say it is taken yet.
            // Its gauges may not be registered yet when the peer's are: null until they are.
            Await.until("the standalone leadership taken", WAIT,
                    () -> Integer.valueOf(1).equals(mbeans.value("cairn.cluster.is-leader")));
            assertEquals(List.of(1L, 1L, 1L, 0L), List.of(number(mbeans, "cairn.cluster.is-leader"),
                    number(mbeans, "cairn.cluster.epoch"), number(mbeans, "cairn.cluster.members"),
                    number(mbeans, "cairn.cluster.failovers")));
            try (BirdDaemon sdwan = new BirdDaemon(DaemonSpec.of(65001, "127.0.0.2", Loopback.freePort(Loopback.address(2)),
                    DaemonSpec.Neighbor.active(node.getHostAddress(), bgpPort, 65515).asRouteServer()))) {
                Await.until("Established in JMX", WAIT, () -> Long.valueOf(6).equals(mbeans.value("cairn.peer.sdwan.state")));
                sdwan.announce(Route.of("10.250.0.0/16", "127.0.0.2"));
                sdwan.announce(Route.of("10.251.0.0/16", "127.0.0.2"));
                Await.until("two prefixes received", WAIT, () -> Integer.valueOf(2).equals(mbeans.value("cairn.peer.sdwan.prefixes-received")));
                assertTrue((Long) mbeans.value("cairn.peer.sdwan.updates-in") >= 1);
                assertTrue((Long) mbeans.value("cairn.journal.records") >= 2, "journaled before they took effect");
                Await.until("the appends metered", WAIT,
                        () -> ((Number) mbeans.attribute("meters", "cairn.journal.appends", "Count")).longValue() >= 2);
                assertEquals(0L, number(mbeans, "cairn.rib.queue-depth"), "the RIB kept up with the journal");
                sdwan.withdraw("10.251.0.0/16");
                Await.until("the withdrawal", WAIT, () -> Integer.valueOf(1).equals(mbeans.value("cairn.peer.sdwan.prefixes-received")));
                assertTrue((Integer) mbeans.value("cairn.rib.prefixes") >= 1);
            }
            Await.until("the session loss counted", WAIT, () -> Long.valueOf(1).equals(mbeans.value("cairn.peer.sdwan.flaps")));
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static long number(RemoteJmx mbeans, String metric) {
        return ((Number) mbeans.value(metric)).longValue();
    }
}
