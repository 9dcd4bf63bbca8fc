package io.cairn.node.interop;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * Environment checks and small utilities shared by the interop harness.
 *
 * <p>A missing daemon is an environment problem, not a Cairn bug: on a developer machine the
 * test is skipped (JUnit assumption) with a loud message naming the Debian package; on CI
 * ({@code CI=true}) a skipped interop test would silently hide a broken image, so it fails.
 */
public final class Tools {

    /** Binary name -> Debian package that provides it. */
    private static final Map<String, String> PACKAGES = Map.ofEntries(
            Map.entry("bird", "bird2"),
            Map.entry("birdc", "bird2"),
            Map.entry("/usr/lib/frr/bgpd", "frr"),
            Map.entry("vtysh", "frr"),
            Map.entry("gobgpd", "gobgpd"),
            Map.entry("gobgp", "gobgpd"),
            Map.entry("exabgp", "exabgp"),
            Map.entry("python3", "python3"),
            Map.entry("tshark", "tshark"));

    private Tools() {
    }

    /**
     * Returns the absolute path of {@code name} (a bare name looked up in PATH, /usr/sbin and
     * /usr/lib/frr, or an absolute path), or fails / aborts the test if it is not installed.
     */
    public static Path requireBinary(String name) {
        Path found = findBinary(name);
        if (found == null) {
            String pkg = PACKAGES.getOrDefault(name, "<unknown package>");
            missing("binary '" + name + "' not found: install the Debian package '" + pkg
                    + "' (apt-get install " + pkg + ")");
        }
        return found;
    }

    /** Some daemons (bgpd, MD5 sockets, exabgp privilege handling) are only exercised as root. */
    public static void requireRoot() {
        String user = System.getProperty("user.name");
        if (!"root".equals(user)) {
            missing("this interop test must run as root (running as '" + user
                    + "'): the BGP daemons are started without privilege separation");
        }
    }

    private static void missing(String message) {
        String loud = "\n*** CAIRN INTEROP: " + message + " ***\n";
        System.err.println(loud);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(loud);
        }
        Assumptions.abort(loud);
    }

    static Path findBinary(String name) {
        if (name.startsWith("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? p : null;
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/lib/frr";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * A TCP port that is free on {@code address} right now. There is an unavoidable window before
     * the daemon binds it; with ephemeral ports handed out by the kernel that is good enough.
     */
    public static int freePort(String address) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on " + address, e);
        }
    }

    /** Checks that all binaries are present; convenience for test setup. */
    public static void requireBinaries(List<String> names) {
        names.forEach(Tools::requireBinary);
    }
}
