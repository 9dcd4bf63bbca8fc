package io.cairn.node.metrics;

import io.cairn.node.admin.Http;
import io.cairn.node.admin.RunningNode;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.sdn.Reconciler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.cairn.node.admin.RunningNode.WAIT;
import static io.cairn.node.admin.RunningNode.announce;
import static io.cairn.node.admin.RunningNode.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics as a JMX client reads them from the platform MBean server: they follow the traffic. */
class NodeMetricsTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @TempDir
    Path dir;

    @Test
    void peerAndRibGaugesFollowTheTraffic() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001), peer("firewall", 3, 65002))) {
            // A passive peer goes Idle -> Active on its event loop once the node has started.
            Await.until("Active (RFC 4273 bgpPeerState 3)", WAIT, () -> value("cairn.peer.sdwan.state").equals(3L));
            assertEquals(0L, value("cairn.peer.sdwan.updates-in"));
            try (RawPeer sdwan = n.establish(2, 65001);
                 RawPeer firewall = n.establish(3, 65002)) {
                Await.until("Established in JMX", WAIT, () -> value("cairn.peer.sdwan.state").equals(6L));
                sdwan.send(announce(65001, 2, "10.250.0.0/16", "10.1.9.0/24"));
                firewall.send(announce(65002, 3, "0.0.0.0/0"));
                firewall.send(announce(65002, 3, "10.250.0.0/16"));
                Await.until("two UPDATEs from the firewall", WAIT, () -> value("cairn.peer.firewall.updates-in").equals(2L));
                Await.until("prefix counts", WAIT, () -> value("cairn.peer.sdwan.prefixes-received").equals(2)
                        && value("cairn.peer.sdwan.prefixes-accepted").equals(1));
                // 10.250.0.0/16 from both (equal AS path length, ECMP), 0.0.0.0/0, 10.1.9.0/24; the VNet's own route.
                Await.until("the Loc-RIB counts", WAIT, () -> value("cairn.rib.prefixes").equals(n.node.routeServer().best().join().size())
                        && value("cairn.rib.ecmp-sets").equals(1));
                // The RIB counts are sampled (once a second), so the gauge catches up with a delay.
                Await.until("prefixes advertised to sdwan", WAIT, () -> value("cairn.peer.sdwan.prefixes-advertised")
                        .equals(n.node.routeServer().advertised("sdwan").join().size()));
                assertTrue((Long) value("cairn.peer.sdwan.updates-out") >= 1);

                sdwan.send(new UpdateMessage(List.of(Prefix.parse("10.250.0.0/16")), List.of(), List.of()));
                Await.until("the withdrawal counted", WAIT, () -> value("cairn.peer.sdwan.prefixes-received").equals(1)
                        && value("cairn.rib.ecmp-sets").equals(0));
                assertEquals(0L, value("cairn.peer.firewall.last-error-code"));
                // Journal: two sessions up and four UPDATEs, each journaled before the RIB saw it.
                assertTrue((Long) value("cairn.journal.records") >= 6, "records " + value("cairn.journal.records"));
                assertTrue((Long) value("cairn.journal.bytes") > 0);
                assertEquals(1, value("cairn.journal.healthy"));
                assertEquals(0L, value("cairn.journal.replay-records"), "a fresh journal replays nothing");
                assertTrue((Long) JMX.getAttribute(new ObjectName(NodeMetrics.DOMAIN
                        + ":type=histograms,name=cairn.rib.decision-micros"), "Count") >= 3, "decision cycles timed");
            }
            Await.until("the session loss counted", WAIT, () -> value("cairn.peer.sdwan.flaps").equals(1L)
                    && !value("cairn.peer.sdwan.state").equals(6L));
            assertEquals(0L, value("cairn.peer.sdwan.uptime-seconds"));

            n.rewritePeers(peer("sdwan", 2, 65001), peer("vpn", 4, 65004));
            assertEquals(200, new Http(n.admin()).post("/api/v1/config/reload", "").status());
            assertEquals(3L, value("cairn.peer.vpn.state"), "a peer added by reload has its MBeans");
            assertThrows(InstanceNotFoundException.class, () -> JMX.getAttribute(name("cairn.peer.firewall.state"), "Value"),
                    "a removed peer's MBeans go with it");
            assertEquals(0L, NodeMetrics.errorCode(null));
            assertEquals(602L, NodeMetrics.errorCode(NotificationMessage.cease(2, "")));
        }
    }

    /** The RIB's input queue: what the journal holds that the RIB has not applied, read while the RIB thread is stuck. */
    @Test
    void queueDepthGrowsWhileTheRibIsStuckAndDrains() throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A Loc-RIB listener runs on the RIB thread: blocking it holds the RIB.
        try (RunningNode n = RunningNode.start(dir, List.of(peer("sdwan", 2, 65001)), "", "",
                node -> node.routeServer().addLocRibListener(changes -> {
                    if (hold.get()) {
                        held.countDown();
                        awaitQuietly(release);
                    }
                }));
             RawPeer sdwan = n.establish(2, 65001)) {
            try {
                hold.set(true);
                sdwan.send(announce(65001, 2, "10.250.0.0/16"));
                assertTrue(held.await(WAIT.toMillis(), TimeUnit.MILLISECONDS), "the RIB never took the first UPDATE");
                for (int i = 1; i <= 5; i++) {
                    sdwan.send(announce(65001, 2, "10.25" + i + ".0.0/16"));
                }
                Await.until("five UPDATEs journaled, none applied", WAIT, () -> value("cairn.rib.queue-depth").equals(5L));
                hold.set(false);
                release.countDown();
                Await.until("the queue drained", WAIT, () -> value("cairn.rib.queue-depth").equals(0L));
            } finally {
                release.countDown();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the test never released the RIB");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void sdnGaugesFollowTheWriter() throws Exception {
        Path file = dir.resolve("effective-routes.json");
        try (RunningNode n = RunningNode.start(dir, List.of(peer("sdwan", 2, 65001)), "",
                "sdn: {driver: file, file: {path: \"" + file + "\"}}\n")) {
            Reconciler sdn = n.node.sdn().orElseThrow();
            Await.until("the first sync", WAIT, () -> (Long) value("cairn.sdn.last-success-millis") > 0);
            long firstSync = (Long) value("cairn.sdn.last-success-millis");
            assertTrue(Math.abs(System.currentTimeMillis() - firstSync) < WAIT.toMillis(), "Unix milliseconds: " + firstSync);
            assertEquals(1L, value("cairn.sdn.is-leader"), "standalone: always the writer");
            assertEquals(1L, value("cairn.sdn.epoch"));
            assertEquals(0L, value("cairn.sdn.routes-programmed"), "the VNet's own prefix is never programmed");
            assertEquals(0L, value("cairn.sdn.writes"), "claiming the epoch on an SDN that matches is no write");

            try (RawPeer sdwan = n.establish(2, 65001)) {
                sdwan.send(announce(65001, 2, "10.250.0.0/16"));
                Await.until("the route programmed", WAIT, () -> value("cairn.sdn.routes-programmed").equals(1L)
                        && value("cairn.sdn.writes").equals(1L));

                Files.writeString(file, "{\"epoch\": 1, \"routes\": {}}"); // a hand edit...
                sdn.resync(); // ...that a watching driver would report
                Await.until("the drift repaired", WAIT, () -> value("cairn.sdn.drift-repairs").equals(1L)
                        && value("cairn.sdn.writes").equals(2L));

                Files.writeString(file, "not json");
                sdn.resync();
                Await.until("the failure counted", WAIT, () -> value("cairn.sdn.failures").equals(1L));
                assertEquals(1L, value("cairn.sdn.is-leader"), "a failing writer is still the writer");
                long beforeFix = (Long) value("cairn.sdn.last-success-millis");
                Files.delete(file);
                sdn.resync();
                Await.until("programming resumed", WAIT, () -> value("cairn.sdn.writes").equals(3L)
                        && (Long) value("cairn.sdn.last-success-millis") > beforeFix);
                assertEquals(1L, value("cairn.sdn.routes-programmed"));
                assertEquals(1L, value("cairn.sdn.failures"));
            }

            sdn.stopLeading();
            assertEquals(0L, value("cairn.sdn.is-leader"));
            assertEquals(0L, value("cairn.sdn.epoch"));
        }
    }

    @Test
    void withoutAnSdnThereAreNoSdnGauges() throws Exception {
        try (RunningNode n = RunningNode.start(dir, peer("sdwan", 2, 65001))) {
            Await.until("the peer Active", WAIT, () -> value("cairn.peer.sdwan.state").equals(3L));
            assertThrows(InstanceNotFoundException.class, () -> JMX.getAttribute(name("cairn.sdn.writes"), "Value"));
        }
    }

    /** As a JMX console shows it, e.g. cairn:type=gauges,name=cairn.peer.sdwan.state. */
    private static ObjectName name(String metric) throws Exception {
        return new ObjectName(NodeMetrics.DOMAIN + ":type=gauges,name=" + metric);
    }

    private static Object value(String metric) {
        try {
            return JMX.getAttribute(name(metric), "Value");
        } catch (Exception e) {
            throw new AssertionError("cannot read " + metric + " over JMX", e);
        }
    }
}
