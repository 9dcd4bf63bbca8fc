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

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

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
            try (BirdDaemon sdwan = new BirdDaemon(DaemonSpec.of(65001, "127.0.0.2", Loopback.freePort(Loopback.address(2)),
                    DaemonSpec.Neighbor.active(node.getHostAddress(), bgpPort, 65515).asRouteServer()))) {
                Await.until("Established in JMX", WAIT, () -> Long.valueOf(6).equals(value(mbeans, "cairn.peer.sdwan.state")));
                sdwan.announce(Route.of("10.250.0.0/16", "127.0.0.2"));
                sdwan.announce(Route.of("10.251.0.0/16", "127.0.0.2"));
                Await.until("two prefixes received", WAIT, () -> Integer.valueOf(2).equals(value(mbeans, "cairn.peer.sdwan.prefixes-received")));
                assertTrue((Long) value(mbeans, "cairn.peer.sdwan.updates-in") >= 1);
                assertTrue((Long) value(mbeans, "cairn.journal.records") >= 2, "journaled before they took effect");
                sdwan.withdraw("10.251.0.0/16");
                Await.until("the withdrawal", WAIT, () -> Integer.valueOf(1).equals(value(mbeans, "cairn.peer.sdwan.prefixes-received")));
                assertTrue((Integer) value(mbeans, "cairn.rib.prefixes") >= 1);
            }
            Await.until("the session loss counted", WAIT, () -> Long.valueOf(1).equals(value(mbeans, "cairn.peer.sdwan.flaps")));
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
