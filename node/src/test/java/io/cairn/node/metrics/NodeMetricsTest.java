package io.cairn.node.metrics;

import io.cairn.node.admin.Http;
import io.cairn.node.admin.RunningNode;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

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
            assertEquals(3L, value("cairn.peer.sdwan.state"), "Active (RFC 4273 bgpPeerState 3)");
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
