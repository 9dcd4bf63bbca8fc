package io.cairn.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.cairn.node.cli.AdminClient;
import io.cairn.node.cli.ChildJvm;
import io.cairn.node.config.CairnConfig;
import io.cairn.node.config.ConfigWriter;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;

/**
 * One Cairn node of the demo: {@code cairn run} in a child JVM, started as the launcher starts it,
 * with its generated config and its log in the demo's directory; read through its admin API and
 * its JMX metrics.
 */
final class NodeProcess implements AutoCloseable {

    /** A node given SIGTERM closes its sessions and writes a closing snapshot in well under this. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /**
     * A demo node holds three routes, so its start-up is what takes time: the client JIT alone and
     * a one-thread collector halve the CPU a node needs to get ready (measured: 5.7 s to 2.9 s), which
     * on a busy two-core machine is most of the demo's wall time. A production node keeps the JVM's
     * defaults.
     */
    private static final List<String> QUICK_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final String id;
    private final CairnConfig config;
    private final Process process;
    private final Path log;
    private final AdminClient admin;
    private final JmxGauges metrics;

    private NodeProcess(String id, CairnConfig config, Process process, Path log, JmxGauges metrics) {
        this.id = id;
        this.config = config;
        this.process = process;
        this.log = log;
        this.admin = new AdminClient(hostPort(config.admin().listen()));
        this.metrics = metrics;
    }

    /** Writes {@code config} to {@code dir}/node-ID.yaml and starts {@code cairn run} on it, logging to node-ID.log. */
    static NodeProcess start(CairnConfig config, Path dir) throws IOException {
        String id = config.node().id();
        Path file = Files.writeString(dir.resolve("node-" + id + ".yaml"),
                ConfigWriter.toYaml(config, ConfigWriter.Secrets.SHOW));
        Path log = dir.resolve("node-" + id + ".log");
        InetAddress address = config.node().listen().getAddress();
        JmxGauges metrics = new JmxGauges(address, FreePort.on(address));
        List<String> jvmOptions = new ArrayList<>(QUICK_START);
        jvmOptions.addAll(metrics.jvmOptions());
        Process process = new ProcessBuilder(ChildJvm.command(System.getProperty("java.class.path"), jvmOptions,
                "run", "--config", file.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new NodeProcess(id, config, process, log, metrics);
    }

    String id() {
        return id;
    }

    long pid() {
        return process.pid();
    }

    InetAddress address() {
        return config.node().listen().getAddress();
    }

    int bgpPort() {
        return config.node().listen().getPort();
    }

    String adminAddress() {
        return hostPort(config.admin().listen());
    }

    Path log() {
        return log;
    }

    /** GET of an admin API path; its JSON when 2xx, else a failure naming the node and the API's error. */
    JsonNode get(String path) throws DemoFailure {
        try {
            AdminClient.Reply reply = admin.get(path);
            if (!reply.ok()) {
                throw new DemoFailure("node " + id + ": " + path + ": " + reply.error());
            }
            return reply.json();
        } catch (AdminClient.Failure e) {
            throw new DemoFailure("node " + id + ": " + e.getMessage(), e);
        }
    }

    /** A gauge of its metrics over JMX. */
    long metric(String name) throws DemoFailure {
        try {
            return metrics.read(name);
        } catch (IOException | JMException e) {
            throw new DemoFailure("node " + id + ": JMX " + name + ": " + e, e);
        }
    }

    /** Fails, naming the log, when the process has exited: nothing will ever answer. */
    void checkAlive() throws DemoFailure {
        if (!process.isAlive()) {
            throw new DemoFailure("node " + id + " exited with status " + process.exitValue() + "; see " + log, true, null);
        }
    }

    /** Waits until its health says ready (journal replayed, BGP listening, RIB answering). */
    void awaitReady(Duration timeout) throws DemoFailure, InterruptedException {
        Poll.await("node " + id + " ready (GET /api/v1/health)", timeout, () -> {
            checkAlive();
            return get("/api/v1/health").path("ready").asBoolean();
        });
    }

    /** SIGKILL: a crash, no goodbye to anyone. Returns once the process is gone. */
    void kill(Duration timeout) throws DemoFailure, InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new DemoFailure("node " + id + " (pid " + pid() + ") still runs " + timeout.toSeconds()
                    + " s after SIGKILL");
        }
    }

    /** SIGTERM (it says goodbye to its peers and leaves the cluster), SIGKILL if it does not exit in time. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            metrics.close();
        } catch (IOException gone) {
            // the JVM at the other end was killed: there is nothing left to close
        }
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("still running after SIGKILL");
            }
        }
    }

    @Override
    public String toString() {
        return "node " + id + " (pid " + pid() + ")";
    }

    private static String hostPort(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    /** {@code GET /api/v1/cluster}: whether it leads, with which epoch, and the members it sees. */
    record ClusterState(boolean leader, long epoch, List<String> members) {
    }

    /** {@code GET /api/v1/routes/effective}: the SDN read back, and the epoch this node writes with (0 in standby). */
    record Effective(long epoch, SortedMap<String, List<String>> routes) {
    }

    ClusterState cluster() throws DemoFailure {
        JsonNode c = get("/api/v1/cluster");
        List<String> members = new ArrayList<>();
        c.path("members").forEach(m -> members.add(m.path("id").asText()));
        members.sort(null);
        return new ClusterState(c.path("leader").asBoolean(), c.path("epoch").asLong(), List.copyOf(members));
    }

    Effective effective() throws DemoFailure {
        JsonNode e = get("/api/v1/routes/effective");
        SortedMap<String, List<String>> routes = new TreeMap<>();
        e.path("routes").forEach(r -> {
            List<String> hops = new ArrayList<>();
            r.path("next_hops").forEach(h -> hops.add(h.asText()));
            routes.put(r.path("prefix").asText(), List.copyOf(hops));
        });
        return new Effective(e.path("epoch").asLong(), Collections.unmodifiableSortedMap(routes));
    }

    /** {@code GET /api/v1/peers}: each peer's session state by name, e.g. "Established". */
    SortedMap<String, String> peerStates() throws DemoFailure {
        SortedMap<String, String> states = new TreeMap<>();
        get("/api/v1/peers").path("peers").forEach(p -> states.put(p.path("name").asText(), p.path("state").asText()));
        return states;
    }
}
