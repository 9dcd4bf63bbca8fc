package io.cairn.cluster.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

/**
 * A real ZooKeeper ensemble for tests: each server its own JVM process
 * ({@code org.apache.zookeeper.server.quorum.QuorumPeerMain}, from this JVM's class path) with a
 * generated {@code zoo.cfg} and {@code myid} in a directory of its own, on free loopback ports.
 * A server can be killed with SIGKILL (as {@code kill -9}) and started again on its data;
 * {@link #close} kills every process this fixture started, by its PID, and nothing else.
 *
 * <p>Ticks are 250 ms, so sessions of 0.5 to 5 s are allowed and time out in seconds
 * ({@code -Dcairn.zookeeper.tick-ms=500} allows up to 10 s, for a failover figure taken with the
 * nodes' default 6 s). Each
 * server's output goes to {@code server-N/out.log} under the directory given.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {

    /** ZooKeeper bounds session timeouts to 2..20 ticks. */
    public static final int TICK_MILLIS = Integer.getInteger("cairn.zookeeper.tick-ms", 250);
    private static final Duration START_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(10);
    private static final int PROBE_TIMEOUT_MILLIS = 2_000;

    private final List<Server> servers = new ArrayList<>();
    private final Thread killOnExit = new Thread(this::killAll, "zookeeper-ensemble-kill");

    /** One server: its id (1..n), directory, ports, and the process while it runs. */
    private static final class Server {
        final int id;
        final Path dir;
        final int clientPort;
        final int quorumPort;
        final int electionPort;
        Process process;

        Server(int id, Path dir, int clientPort, int quorumPort, int electionPort) {
            this.id = id;
            this.dir = dir;
            this.clientPort = clientPort;
            this.quorumPort = quorumPort;
            this.electionPort = electionPort;
        }
    }

    private ZooKeeperEnsemble() {
    }

    /** Starts {@code size} servers under {@code dir} and waits until the ensemble serves. */
    public static ZooKeeperEnsemble start(Path dir, int size) throws IOException, InterruptedException {
        ZooKeeperEnsemble ensemble = new ZooKeeperEnsemble();
        Runtime.getRuntime().addShutdownHook(ensemble.killOnExit);
        try {
            int[] ports = freeLoopbackPorts(3 * size);
            for (int id = 1; id <= size; id++) {
                int at = 3 * (id - 1);
                ensemble.servers.add(new Server(id, dir.resolve("server-" + id), ports[at], ports[at + 1], ports[at + 2]));
            }
            for (Server server : ensemble.servers) {
                ensemble.configure(server);
                ensemble.launch(server);
            }
            ensemble.awaitServing();
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            ensemble.close();
            throw e;
        }
        return ensemble;
    }

    /** Ports found free by binding them all at once (so no two are the same), then released. */
    private static int[] freeLoopbackPorts(int count) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    private void configure(Server server) throws IOException {
        Path data = Files.createDirectories(server.dir.resolve("data"));
        Files.writeString(data.resolve("myid"), server.id + "\n");
        StringBuilder cfg = new StringBuilder()
                .append("tickTime=").append(TICK_MILLIS).append('\n')
                .append("initLimit=40\n")
                .append("syncLimit=10\n")
                .append("dataDir=").append(data).append('\n')
                .append("clientPortAddress=127.0.0.1\n")
                .append("clientPort=").append(server.clientPort).append('\n')
                .append("admin.enableServer=false\n")
                .append("4lw.commands.whitelist=srvr\n")
                // Transaction logs are preallocated 64 MiB at a time by default.
                .append("preAllocSize=1024\n");
        for (Server s : servers) {
            cfg.append("server.").append(s.id).append("=127.0.0.1:").append(s.quorumPort).append(':')
                    .append(s.electionPort).append('\n');
        }
        Files.writeString(server.dir.resolve("zoo.cfg"), cfg.toString());
    }

    private void launch(Server server) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=logback-child.xml",
                "-Dzookeeper.admin.enableServer=false",
                "-cp", System.getProperty("java.class.path"),
                "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                server.dir.resolve("zoo.cfg").toString()));
        server.process = new ProcessBuilder(command).directory(server.dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(server.dir.resolve("out.log").toFile()))
                .start();
    }

    /** "127.0.0.1:p1,127.0.0.1:p2,...": every server, running or not. */
    public String connectString() {
        StringJoiner joined = new StringJoiner(",");
        servers.forEach(s -> joined.add("127.0.0.1:" + s.clientPort));
        return joined.toString();
    }

    /** The connect string of one server only. */
    public String connectString(int id) {
        return "127.0.0.1:" + server(id).clientPort;
    }

    /** The connect string of every server but {@code id}. */
    public String connectStringWithout(int id) {
        StringJoiner joined = new StringJoiner(",");
        servers.stream().filter(s -> s.id != id).forEach(s -> joined.add("127.0.0.1:" + s.clientPort));
        return joined.toString();
    }

    public int size() {
        return servers.size();
    }

    private Server server(int id) {
        if (id < 1 || id > servers.size()) {
            throw new IllegalArgumentException("no ZooKeeper server " + id + " (1.." + servers.size() + ")");
        }
        return servers.get(id - 1);
    }

    /** The PID of server {@code id}'s process, or -1 while it is not running. */
    public long pid(int id) {
        Process p = server(id).process;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** Kills server {@code id} with SIGKILL ({@code kill -9}: no shutdown of any kind) and waits for it to die. */
    public void kill(int id) throws InterruptedException {
        Server server = server(id);
        Process p = server.process;
        if (p == null) {
            throw new IllegalStateException("ZooKeeper server " + id + " is not running");
        }
        p.destroyForcibly(); // SIGKILL on Linux
        if (!p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("ZooKeeper server " + id + " (pid " + p.pid() + ") survived SIGKILL");
        }
        server.process = null;
    }

    /** Starts server {@code id} again on its data and waits until it serves. */
    public void restart(int id) throws IOException, InterruptedException {
        Server server = server(id);
        if (server.process != null) {
            throw new IllegalStateException("ZooKeeper server " + id + " is still running (pid " + server.process.pid() + ")");
        }
        launch(server);
        awaitServing();
    }

    /**
     * Waits until every running server serves (leader or follower). A killed server stays down
     * and is not waited for.
     */
    public void awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        for (Server server : servers) {
            while (server.process != null && mode(server) == null) {
                if (!server.process.isAlive()) {
                    throw new IllegalStateException("ZooKeeper server " + server.id + " exited with "
                            + server.process.exitValue() + "; see " + server.dir.resolve("out.log"));
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("ZooKeeper server " + server.id + " not serving within "
                            + START_WAIT.toSeconds() + " s; see " + server.dir.resolve("out.log"));
                }
                Thread.sleep(50);
            }
        }
    }

    /** The id of the server that leads the ensemble now, or -1 if none does. */
    public int leader() {
        for (Server server : servers) {
            if (server.process != null && "leader".equals(mode(server))) {
                return server.id;
            }
        }
        return -1;
    }

    /** The id of a running server that follows (not the leader), or -1. */
    public int follower() {
        for (Server server : servers) {
            if (server.process != null && "follower".equals(mode(server))) {
                return server.id;
            }
        }
        return -1;
    }

    /** "leader" or "follower" from the server's {@code srvr} command, or null while it does not serve. */
    private static String mode(Server server) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.clientPort), PROBE_TIMEOUT_MILLIS);
            socket.setSoTimeout(PROBE_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : reply.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    String mode = line.substring("Mode: ".length()).trim();
                    return mode.equals("leader") || mode.equals("follower") ? mode : null;
                }
            }
            return null;
        } catch (IOException notServing) {
            return null;
        }
    }

    private void killAll() {
        for (Server server : servers) {
            Process p = server.process;
            if (p != null) {
                p.destroyForcibly();
            }
        }
        for (Server server : servers) {
            Process p = server.process;
            if (p != null) {
                try {
                    p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                server.process = null;
            }
        }
    }

    /** Kills every server this fixture started (by its PID) and waits for them to exit. */
    @Override
    public void close() {
        killAll();
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same
        }
    }
}
