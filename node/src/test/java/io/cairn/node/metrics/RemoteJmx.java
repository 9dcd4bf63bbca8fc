package io.cairn.node.metrics;

import io.cairn.testsupport.Await;

import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A JMX client of a {@code cairn run} child JVM, started with the README's remote JMX settings. */
final class RemoteJmx implements AutoCloseable {

    private final JMXConnector connector;
    private final MBeanServerConnection mbeans;

    private RemoteJmx(JMXConnector connector) throws IOException {
        this.connector = connector;
        this.mbeans = connector.getMBeanServerConnection();
    }

    /** The README's JAVA_OPTS for remote JMX on 127.0.0.1:{@code port}. */
    static List<String> jvmOptions(int port) {
        return List.of("-Dcom.sun.management.jmxremote.port=" + port, "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false");
    }

    /** Connects once the daemon's JMX port answers; fails at once if the daemon exits. */
    static RemoteJmx connect(int port, Process daemon, Duration wait) {
        JMXServiceURL url;
        try {
            url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        RemoteJmx[] connected = new RemoteJmx[1];
        Await.until("the daemon's JMX port " + port, wait, () -> {
            assertTrue(daemon.isAlive(), "the daemon exited early");
            try {
                connected[0] = new RemoteJmx(JMXConnectorFactory.connect(url));
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return connected[0];
    }

    /** The gauge's value, or null while its MBean is not registered. */
    Object value(String metric) {
        return attribute("gauges", metric, "Value");
    }

    /** An attribute of the metric's MBean, or null while it is not registered. */
    Object attribute(String type, String metric, String attribute) {
        try {
            ObjectName name = new ObjectName(NodeMetrics.DOMAIN + ":type=" + type + ",name=" + metric);
            return mbeans.getAttribute(name, attribute);
        } catch (InstanceNotFoundException notRegistered) {
            // Asked, not checked first: an isRegistered() answer can be stale by the time the
            // attribute is read (ClusterJmxProcessTest saw a dead member's gauge go in between).
            return null;
        } catch (Exception e) {
            throw new AssertionError("cannot read " + metric + " " + attribute, e);
        }
    }

    /** Also after the daemon died: RMI then fails to say goodbye, but frees the client's side all the same. */
    @Override
    public void close() {
        try {
            connector.close();
        } catch (IOException daemonGone) {
            // nothing left to release
        }
    }
}
