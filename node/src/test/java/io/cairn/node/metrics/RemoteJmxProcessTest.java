package io.cairn.node.metrics;

import io.cairn.node.admin.RunningNode;
import io.cairn.node.cli.CairnJvm;
import io.cairn.testsupport.Await;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.bgp.session.RawPeer;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cairn run} with the README's remote JMX settings: a JMX client connects to the
 * daemon's JMX port and reads the per-peer MBeans while a peer announces and withdraws.
 */
class RemoteJmxProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aRemoteJmxClientSeesThePeerCountsMove() throws Exception {
        InetAddress node = Loopback.address(1);
        int bgpPort = Loopback.freePort(node);
        int jmxPort = Loopback.freePort(node);
        Path config = Files.writeString(dir.resolve("cairn.yaml"), RunningNode.yaml(bgpPort, Loopback.freePort(node), "", "",
                List.of(RunningNode.peer("sdwan", 2, 65001))));
        Process daemon = new ProcessBuilder(CairnJvm.command(List.of(
                "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false"),
                "run", "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("daemon.log").toFile()).start();
        try (JMXConnector jmx = connect(jmxPort, daemon)) {
            MBeanServerConnection mbeans = jmx.getMBeanServerConnection();
            // Idle while the journal replays, then Active: a passive peer waits for its NVA.
            Await.until("the peer Active", WAIT, () -> Long.valueOf(3).equals(value(mbeans, "cairn.peer.sdwan.state")));
            try (RawPeer sdwan = new RawPeer(Loopback.address(2), new InetSocketAddress(node, bgpPort))) {
                sdwan.establish(OpenMessage.of(65001, 90, 0x7F000002L, List.of(
                        new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(65001))), WAIT);
                sdwan.send(RunningNode.announce(65001, 2, "10.250.0.0/16", "10.251.0.0/16"));
                Await.until("two prefixes received", WAIT, () -> Integer.valueOf(2).equals(value(mbeans, "cairn.peer.sdwan.prefixes-received")));
                assertEquals(6L, value(mbeans, "cairn.peer.sdwan.state"), "Established");
                assertEquals(1L, value(mbeans, "cairn.peer.sdwan.updates-in"));
                sdwan.send(new UpdateMessage(List.of(Prefix.parse("10.251.0.0/16")), List.of(), List.of()));
                Await.until("the withdrawal", WAIT, () -> Integer.valueOf(1).equals(value(mbeans, "cairn.peer.sdwan.prefixes-received")));
                assertTrue((Integer) value(mbeans, "cairn.rib.prefixes") >= 1);
            }
        } finally {
            daemon.destroyForcibly();
        }
    }

    private static JMXConnector connect(int port, Process daemon) {
        JMXServiceURL url;
        try {
            url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        JMXConnector[] connected = new JMXConnector[1];
        Await.until("the daemon's JMX port " + port, WAIT, () -> {
            assertTrue(daemon.isAlive(), "the daemon exited early");
            try {
                connected[0] = JMXConnectorFactory.connect(url);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return connected[0];
    }

    /** The gauge's value, or null while its MBean is not registered yet. */
    private static Object value(MBeanServerConnection mbeans, String metric) {
        try {
            ObjectName name = new ObjectName(NodeMetrics.DOMAIN + ":type=gauges,name=" + metric);
            return mbeans.isRegistered(name) ? mbeans.getAttribute(name, "Value") : null;
        } catch (Exception e) {
            throw new AssertionError("cannot read " + metric, e);
        }
    }
}
