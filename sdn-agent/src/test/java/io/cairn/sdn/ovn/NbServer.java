package io.cairn.sdn.ovn;

import io.cairn.testsupport.Await;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real OVN northbound ovsdb-server (Debian package ovn-central) in a temporary directory:
 * database created from the installed schema, listening on a free loopback TCP port, a unix
 * socket and, with TLS files, a free SSL port. Started in the foreground so the test owns its
 * PID; kill() is SIGKILL, close() SIGTERM. Restarting keeps the database file and the ports.
 */
public final class NbServer implements AutoCloseable {

    static final Path NB_SCHEMA = Path.of("/usr/share/ovn/ovn-nb.ovsschema");
    private static final Duration STARTUP = Duration.ofSeconds(20);

    private final Path dir;
    private final Path db;
    private final Path socket;
    private final int tcpPort;
    private final Tls tls;
    private Process process;

    /** Server-side TLS files, as ovsdb-server's --private-key, --certificate, --ca-cert. */
    record Tls(Path key, Path certificate, Path ca, int port) {
    }

    private NbServer(Path dir, Path db, Tls tls) {
        this.dir = dir;
        this.db = db;
        this.socket = dir.resolve("nb.sock");
        this.tcpPort = freePort();
        this.tls = tls;
    }

    /** Skips (or, with CI=true, fails) loudly when ovn-central is not installed. */
    public static void assumeInstalled() {
        for (String binary : List.of("/usr/sbin/ovsdb-server", "/usr/bin/ovsdb-tool", "/usr/bin/ovn-nbctl")) {
            require(Files.isExecutable(Path.of(binary)), binary + " not found");
        }
        require(Files.isReadable(NB_SCHEMA), NB_SCHEMA + " not found");
    }

    static void require(boolean present, String what) {
        if (!present) {
            String loud = "\n*** CAIRN OVN TEST: " + what + ": install the Debian package 'ovn-central' "
                    + "(apt-get install ovn-central) ***\n";
            System.err.println(loud);
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(loud);
            }
            Assumptions.abort(loud);
        }
    }

    /** A fresh database from {@code schema}, served at once. */
    static NbServer start(Path dir, Path schema, Tls tls) {
        Path db = dir.resolve("nb.db");
        run(dir, List.of("ovsdb-tool", "create", db.toString(), schema.toString()));
        NbServer server = new NbServer(dir, db, tls);
        server.startProcess();
        return server;
    }

    public static NbServer start(Path dir) {
        return start(dir, NB_SCHEMA, null);
    }

    int tcpPort() {
        return tcpPort;
    }

    OvsdbRemote tcp() {
        return OvsdbRemote.parse("tcp:127.0.0.1:" + tcpPort);
    }

    public OvsdbRemote unix() {
        return OvsdbRemote.parse("unix:" + socket);
    }

    OvsdbRemote ssl() {
        return OvsdbRemote.parse("ssl:127.0.0.1:" + tls.port());
    }

    /** ovn-nbctl against this server, as an operator would run it; fails the test on error. */
    public String nbctl(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ovn-nbctl", "--timeout=10", "--db=unix:" + socket));
        cmd.addAll(List.of(args));
        return run(dir, cmd);
    }

    /** Prefix -> next hops as `ovn-nbctl lr-route-list` prints them: every route on the router. */
    public Map<String, Set<String>> routeList(String router) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (String line : nbctl("lr-route-list", router).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && (f[0].contains(".") || f[0].contains(":")) && !line.contains("Route")) {
                out.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[1]);
            }
        }
        return out;
    }

    /** Static route rows tagged external_ids:cairn-owner=OWNER, on any router. */
    int rowsOwnedBy(String owner) {
        return rowUuidsOwnedBy(owner).size();
    }

    /** The uuids of the static route rows tagged external_ids:cairn-owner=OWNER. */
    Set<String> rowUuidsOwnedBy(String owner) {
        String uuids = nbctl("--bare", "--columns=_uuid", "find", "Logical_Router_Static_Route",
                "external_ids:cairn-owner=" + owner).trim();
        return uuids.isEmpty() ? Set.of() : new TreeSet<>(List.of(uuids.split("\\s+")));
    }

    /** Rows in a table, counted by ovsdb-client (fast where ovn-nbctl would time out). */
    int rowCount(String table) {
        String csv = run(dir, List.of("ovsdb-client", "--format=csv", "--no-headings", "--timeout=120", "dump",
                "unix:" + socket, "OVN_Northbound", table, "_uuid"));
        return (int) csv.lines().filter(l -> l.matches("[0-9a-f-]{36}")).count();
    }

    /** CPU time (user + system) ovsdb-server has used so far, from /proc (clock ticks of 10 ms). */
    long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime: fields 14, 15 of proc(5)
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** SIGSTOP: the server keeps its sockets but answers nothing, like a hung or partitioned peer. */
    void freeze() {
        run(dir, List.of("kill", "-STOP", Long.toString(process.pid())));
    }

    void thaw() {
        run(dir, List.of("kill", "-CONT", Long.toString(process.pid())));
    }

    void restart() {
        startProcess();
    }

    /** SIGTERM; SIGKILL if the server is too busy to exit within a few seconds. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            thaw();
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    private void waitFor() {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                fail("ovsdb-server pid " + process.pid() + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted stopping ovsdb-server");
        }
    }

    private void startProcess() {
        List<String> cmd = new ArrayList<>(List.of("ovsdb-server", db.toString(),
                "--remote=ptcp:" + tcpPort + ":127.0.0.1", "--remote=punix:" + socket,
                "--pidfile=" + dir.resolve("nb.pid"), "--unixctl=" + dir.resolve("nb.ctl"),
                "--no-chdir", "--log-file=" + dir.resolve("nb.log"), "-vconsole:off"));
        if (tls != null) {
            cmd.addAll(List.of("--remote=pssl:" + tls.port() + ":127.0.0.1", "--private-key=" + tls.key(),
                    "--certificate=" + tls.certificate(), "--ca-cert=" + tls.ca()));
        }
        try {
            process = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nb.out").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Await.until("ovsdb-server to listen on 127.0.0.1:" + tcpPort + " and " + socket, STARTUP,
                () -> listening(tcpPort) && Files.exists(socket) && (tls == null || listening(tls.port())));
    }

    private boolean listening(int port) {
        if (!process.isAlive()) {
            fail("ovsdb-server exited with " + process.exitValue() + ": " + log());
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String log() {
        try {
            return Files.readString(dir.resolve("nb.out")) + Files.readString(dir.resolve("nb.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a command in {@code dir}, returns its stdout; fails the test on a non-zero exit. */
    static String run(Path dir, List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail(String.join(" ", cmd) + " did not finish");
            }
            assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + " failed: " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
