package io.cairn.node.demo;

import io.cairn.node.metrics.NodeMetrics;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A node's metrics read over its remote JMX port, as an operator's JMX client would read them
 * (README, Metrics): the JVM's own agent, enabled by the system properties of {@link #jvmOptions}.
 */
final class JmxGauges implements AutoCloseable {

    static {
        // Bounds every RMI call of the demo (it makes no others): a node that stopped answering
        // fails the step instead of hanging it.
        System.setProperty("sun.rmi.transport.tcp.responseTimeout", "10000");
        System.setProperty("sun.rmi.transport.connectionTimeout", "5000");
    }

    private final InetAddress address;
    private final int port;
    private JMXConnector connector;

    JmxGauges(InetAddress address, int port) {
        this.address = address;
        this.port = port;
    }

    /** The child JVM's options for its JMX agent: on {@code address:port} only, no auth or TLS (loopback). */
    List<String> jvmOptions() {
        String host = address.getHostAddress();
        return List.of("-Dcom.sun.management.jmxremote.port=" + port, "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                "-Dcom.sun.management.jmxremote.host=" + host, "-Djava.rmi.server.hostname=" + host,
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false");
    }

    /** The value of gauge {@code metric}, e.g. {@code cairn.sdn.writes}. */
    synchronized long read(String metric) throws IOException, JMException {
        if (connector == null) {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(
                    "service:jmx:rmi:///jndi/rmi://" + address.getHostAddress() + ":" + port + "/jmxrmi"));
        }
        MBeanServerConnection mbeans = connector.getMBeanServerConnection();
        Object value = mbeans.getAttribute(new ObjectName(NodeMetrics.DOMAIN + ":type=gauges,name=" + metric), "Value");
        return ((Number) value).longValue();
    }

    @Override
    public synchronized void close() throws IOException {
        if (connector != null) {
            connector.close();
            connector = null;
        }
    }
}
