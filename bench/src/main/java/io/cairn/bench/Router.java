package io.cairn.bench;

import io.cairn.testsupport.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One router under test: writes its config into a fresh temp dir, starts it as a child process
 * listening on 127.0.0.1:port, configured as a transparent route server (RFC 7947) with every
 * bench peer passive (the peers connect), and stops it by PID. Peak RSS and CPU are read from
 * /proc for the process and all its descendants (OpenBGPD forks a session engine and an RDE;
 * the others are one process).
 */
abstract class Router {

    static final long ROUTER_AS = 65000;
    static final String ROUTER_ADDRESS = "127.0.0.1";
    static final String MONITOR_ADDRESS = "127.0.0.2";
    static final long MONITOR_AS = 64999;
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** USER_HZ: /proc/PID/stat counts CPU time in clock ticks, 100 per second on Linux. */
    private static final double CLOCK_TICKS = 100.0;

    protected Path dir;
    protected int port;
    protected Workload workload;
    private Process process;

    abstract String name();

    /** Writes the config files and returns the command line. */
    abstract List<String> command() throws IOException;

    Map<String, String> environment() {
        return Map.of();
    }

    /** Binaries this router needs; a missing one skips the router with a message. */
    abstract List<String> binaries();

    final void start(Path dir, int port, Workload workload) throws IOException {
        this.dir = dir;
        this.port = port;
        this.workload = workload;
        ProcessBuilder pb = new ProcessBuilder(command()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile());
        pb.environment().putAll(environment());
        process = pb.start();
    }

    void checkAlive() {
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException(name() + " exited with " + process.exitValue() + "; log: "
                    + dir.resolve("stdout.log"));
        }
    }

    long pid() {
        return process.pid();
    }

    /** Peers in the order the configs list them: the monitor, then the injectors. */
    protected List<String[]> neighbors() {
        List<String[]> n = new ArrayList<>();
        n.add(new String[] {"monitor", MONITOR_ADDRESS, String.valueOf(MONITOR_AS)});
        for (int p = 0; p < workload.peers; p++) {
            n.add(new String[] {"inj" + p, Workload.peerAddress(p), String.valueOf(Workload.peerAs(p))});
        }
        return n;
    }

    protected void write(String file, String content) throws IOException {
        Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
    }

    /** Process tree usage now: sum of VmHWM (kB) and of utime+stime (s). */
    record Usage(long peakRssKb, double cpuSeconds) {
    }

    Usage usage() {
        List<ProcessHandle> tree = Processes.tree(process.toHandle());
        long rss = 0;
        double cpu = 0;
        for (ProcessHandle h : tree) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + h.pid() + "/status"))) {
                    if (line.startsWith("VmHWM:")) {
                        rss += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
                String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
                // fields after the ")" that closes the command name: state is field 3, utime 14, stime 15
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                cpu += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
            } catch (IOException | RuntimeException e) {
                // process vanished between listing and reading
            }
        }
        return new Usage(rss, cpu);
    }

    /** SIGTERM to the tree, SIGKILL after a bounded wait. */
    void stop() {
        if (process == null) {
            return;
        }
        for (ProcessHandle h : Processes.stopTree(process.toHandle(), STOP_GRACE)) {
            System.err.println("bench: " + name() + " process " + h.pid() + " did not exit");
        }
    }

    static Router byName(String name, Path cairnLauncher, String cairnJavaOpts, boolean cairnWarmUp) {
        switch (name) {
            case "cairn":
                return new Cairn(cairnLauncher, cairnJavaOpts, cairnWarmUp);
            case "bird":
                return new Bird();
            case "frr":
                return new Frr();
            case "openbgpd":
                return new OpenBgpd();
            case "gobgp":
                return new Gobgp();
            default:
                throw new IllegalArgumentException("unknown router '" + name
                        + "' (known: cairn, bird, frr, openbgpd, gobgp)");
        }
    }

    // ---- the five routers ------------------------------------------------------------------

    static final class Cairn extends Router {
        private final Path launcher;
        private final String javaOpts;
        /** Whether {@code cairn run} warms its JIT before it opens the sessions ({@code rib.warm-up}). */
        private final boolean warmUp;

        Cairn(Path launcher, String javaOpts, boolean warmUp) {
            this.launcher = launcher;
            this.javaOpts = javaOpts;
            this.warmUp = warmUp;
        }

        @Override
        String name() {
            return "cairn";
        }

        @Override
        List<String> binaries() {
            return List.of(launcher.toString());
        }

        @Override
        List<String> command() throws IOException {
            StringBuilder c = new StringBuilder();
            c.append("node: { id: bench, router-id: ").append(ROUTER_ADDRESS).append(", asn: ").append(ROUTER_AS)
                    .append(", listen: \"").append(ROUTER_ADDRESS).append(':').append(port).append("\" }\n");
            // one VNet prefix outside the workload's 20.0.0.0+ range; the monitor ignores it
            c.append("vnet: { prefixes: [192.168.255.0/24] }\n");
            c.append("peers:\n");
            for (String[] n : neighbors()) {
                c.append("  - { name: ").append(n[0]).append(", address: ").append(n[1]).append(", asn: ")
                        .append(n[2]).append(", hold-time: ").append(BenchPeer.HOLD_TIME)
                        .append(", max-prefixes: 2000000, passive: true }\n");
            }
            c.append("admin: { listen: \"127.0.0.1:").append(port + 1).append("\" }\n");
            if (warmUp) { // only then: a build from before rib.warm-up existed takes the config too
                c.append("rib: { warm-up: true }\n");
            }
            write("cairn.yaml", c.toString());
            return List.of(launcher.toString(), "run", "--config", dir.resolve("cairn.yaml").toString());
        }

        @Override
        Map<String, String> environment() {
            return javaOpts == null ? Map.of() : Map.of("JAVA_OPTS", javaOpts);
        }
    }

    static final class Bird extends Router {
        @Override
        String name() {
            return "bird";
        }

        @Override
        List<String> binaries() {
            return List.of("/usr/sbin/bird");
        }

        @Override
        List<String> command() throws IOException {
            StringBuilder c = new StringBuilder();
            c.append("log \"").append(dir.resolve("bird.log")).append("\" { warning, error, fatal };\n");
            c.append("router id ").append(ROUTER_ADDRESS).append(";\n");
            c.append("template bgp rsclient {\n");
            c.append("  local ").append(ROUTER_ADDRESS).append(" port ").append(port).append(" as ").append(ROUTER_AS)
                    .append(";\n  strict bind on;\n  passive on;\n  multihop;\n  rs client;\n");
            c.append("  enforce first as off;\n  hold time ").append(BenchPeer.HOLD_TIME).append(";\n");
            c.append("  ipv4 { import all; export all; next hop keep; };\n}\n");
            for (String[] n : neighbors()) {
                c.append("protocol bgp ").append(n[0]).append(" from rsclient { neighbor ").append(n[1]).append(" as ")
                        .append(n[2]).append("; }\n");
            }
            write("bird.conf", c.toString());
            return List.of("/usr/sbin/bird", "-f", "-c", dir.resolve("bird.conf").toString(), "-s",
                    dir.resolve("bird.ctl").toString(), "-P", dir.resolve("bird.pid").toString());
        }
    }

    /** bgpd alone (no zebra, no watchfrr), as in node's interop FrrDaemon. */
    static final class Frr extends Router {
        @Override
        String name() {
            return "frr";
        }

        @Override
        List<String> binaries() {
            return List.of("/usr/lib/frr/bgpd");
        }

        @Override
        List<String> command() throws IOException {
            StringBuilder c = new StringBuilder();
            c.append("frr defaults traditional\n");
            c.append("log file ").append(dir.resolve("bgpd.log")).append(" warnings\n!\n");
            c.append("router bgp ").append(ROUTER_AS).append("\n");
            c.append(" bgp router-id ").append(ROUTER_ADDRESS).append("\n");
            // FRR 8.4 has no global "no bgp enforce-first-as" (and it is off per neighbor by default in
            // "traditional"); the injectors' paths start with their own AS anyway
            c.append(" no bgp ebgp-requires-policy\n no bgp network import-check\n");
            c.append(" no bgp default ipv4-unicast\n");
            for (String[] n : neighbors()) {
                String p = " neighbor " + n[1] + " ";
                c.append(p).append("remote-as ").append(n[2]).append('\n');
                c.append(p).append("passive\n");
                c.append(p).append("disable-connected-check\n");
                c.append(p).append("timers 80 ").append(BenchPeer.HOLD_TIME).append('\n');
            }
            c.append(" address-family ipv4 unicast\n");
            for (String[] n : neighbors()) {
                c.append("  neighbor ").append(n[1]).append(" activate\n");
                c.append("  neighbor ").append(n[1]).append(" route-server-client\n");
            }
            c.append(" exit-address-family\nexit\n!\n");
            write("bgpd.conf", c.toString());
            return List.of("/usr/lib/frr/bgpd", "-f", dir.resolve("bgpd.conf").toString(), "-i",
                    dir.resolve("bgpd.pid").toString(), "--vty_socket", dir.toString(), "-S", "-Z", "-n", "-P", "0",
                    "-p", String.valueOf(port), "-l", ROUTER_ADDRESS);
        }
    }

    static final class OpenBgpd extends Router {
        @Override
        String name() {
            return "openbgpd";
        }

        @Override
        List<String> binaries() {
            return List.of("/usr/sbin/bgpd");
        }

        @Override
        List<String> command() throws IOException {
            StringBuilder c = new StringBuilder();
            // bgpd's session engine and RDE chroot into _openbgpd's home; the Debian unit creates it
            // as RuntimeDirectory, so started by hand it may not exist yet
            Files.createDirectories(Path.of("/run/openbgpd"));
            c.append("AS ").append(ROUTER_AS).append("\nrouter-id ").append(ROUTER_ADDRESS).append('\n');
            c.append("listen on ").append(ROUTER_ADDRESS).append(" port ").append(port).append('\n');
            c.append("socket \"").append(dir.resolve("bgpd.sock")).append("\"\n");
            c.append("fib-update no\nnexthop qualify via default\ntransparent-as yes\n");
            for (String[] n : neighbors()) {
                c.append("neighbor ").append(n[1]).append(" {\n  remote-as ").append(n[2])
                        .append("\n  descr \"").append(n[0]).append("\"\n  passive\n  holdtime ")
                        .append(BenchPeer.HOLD_TIME).append("\n  transparent-as yes\n  enforce neighbor-as no\n")
                        // multihop: for a directly connected eBGP peer bgpd never sends a next hop
                        // outside the shared network, whatever the filters say (rde_update.c)
                        .append("  multihop 2\n")
                        .append("}\n");
            }
            // on output: "set nexthop no-modify" inside the neighbor blocks applies to what is
            // received and did not stop bgpd from putting itself as next hop
            c.append("allow from any\nallow to any set nexthop no-modify\n");
            write("bgpd.conf", c.toString());
            return List.of("/usr/sbin/bgpd", "-d", "-f", dir.resolve("bgpd.conf").toString());
        }
    }

    static final class Gobgp extends Router {
        @Override
        String name() {
            return "gobgp";
        }

        @Override
        List<String> binaries() {
            return List.of("/usr/bin/gobgpd");
        }

        @Override
        List<String> command() throws IOException {
            StringBuilder c = new StringBuilder();
            c.append("[global.config]\n  as = ").append(ROUTER_AS).append("\n  router-id = \"").append(ROUTER_ADDRESS)
                    .append("\"\n  port = ").append(port).append("\n  local-address-list = [\"")
                    .append(ROUTER_ADDRESS).append("\"]\n");
            for (String[] n : neighbors()) {
                c.append("[[neighbors]]\n  [neighbors.config]\n    neighbor-address = \"").append(n[1])
                        .append("\"\n    peer-as = ").append(n[2]).append('\n');
                c.append("  [neighbors.transport.config]\n    passive-mode = true\n    local-address = \"")
                        .append(ROUTER_ADDRESS).append("\"\n");
                c.append("  [neighbors.timers.config]\n    hold-time = ").append(BenchPeer.HOLD_TIME)
                        .append("\n    keepalive-interval = 80\n");
                c.append("  [neighbors.route-server.config]\n    route-server-client = true\n");
                c.append("  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n")
                        .append("      afi-safi-name = \"ipv4-unicast\"\n");
            }
            write("gobgpd.toml", c.toString());
            return List.of("/usr/bin/gobgpd", "-f", dir.resolve("gobgpd.toml").toString(), "--api-hosts",
                    "unix://" + dir.resolve("api.sock"), "-p", "--pprof-disable", "-l", "warn");
        }
    }
}
