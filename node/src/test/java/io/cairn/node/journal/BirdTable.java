package io.cairn.node.journal;

import io.cairn.node.interop.Tools;
import io.cairn.testsupport.Await;
import io.cairn.testsupport.Processes;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * BIRD 2 announcing a big table to one Cairn, with graceful restart (RFC 4724) on its session, so
 * that it keeps Cairn's routes while Cairn restarts. The table is {@code routes} static /24s from
 * 20.0.0.0 up, in an included file (the interop harness writes one filter clause per route, which
 * does not scale to a million); the export filter gives each /8 its own AS path, MED and next hop,
 * so the RIB holds several attribute sets and ECMP-free best paths.
 */
final class BirdTable implements AutoCloseable {

    static final String PROTOCOL = "cairn";
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern ESTABLISHED = Pattern.compile("BGP state:\\s+Established");

    private final Path dir;
    private final String birdc;
    private final Process process;

    /**
     * @param address    BIRD's own loopback address (its router id too)
     * @param cairn      Cairn's address and BGP port, which BIRD connects to
     * @param restartTime the graceful restart time BIRD advertises
     */
    BirdTable(Path dir, int routes, String address, int port, String cairn, int cairnPort, long cairnAs,
              int restartTime) throws IOException {
        this.dir = dir;
        String bird = Tools.requireBinary("bird").toString();
        this.birdc = Tools.requireBinary("birdc").toString();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("routes.conf"))) {
            for (int i = 0; i < routes; i++) {
                w.write("route " + prefix(i) + " blackhole;\n");
            }
        }
        Files.writeString(dir.resolve("bird.conf"), """
                log "%1$s/bird.log" all;
                router id %2$s;
                protocol static table_source { ipv4;
                include "%1$s/routes.conf";
                }
                filter to_cairn {
                %9$s  reject;
                }
                protocol bgp %3$s {
                  local %2$s port %4$d as 65001;
                  strict bind on;
                  neighbor %5$s port %6$d as %7$d;
                  multihop;
                  connect delay time 1;
                  connect retry time 1;
                  error wait time 1, 2;
                  graceful restart on;
                  graceful restart time %8$d;
                  ipv4 { import all; export filter to_cairn; };
                }
                """.formatted(dir, address, PROTOCOL, port, cairn, cairnPort, cairnAs, restartTime, perSlash8(routes)));
        this.process = new ProcessBuilder(bird, "-f", "-c", dir.resolve("bird.conf").toString(),
                "-s", dir.resolve("bird.ctl").toString(), "-P", dir.resolve("bird.pid").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Await.until("birdc to answer", Duration.ofSeconds(30), () -> {
            if (!process.isAlive()) {
                throw new AssertionError("bird exited with " + process.exitValue() + ": " + read(dir.resolve("stdout.log")));
            }
            return cli("show status").startsWith("0");
        });
    }

    /** Export clauses: /8 number k gets AS path 6460k 65001, MED k and next hop 192.0.2.(1 + k mod 4). */
    private static String perSlash8(int routes) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k <= (routes - 1) >> 16; k++) {
            s.append("  if net ~ [ ").append(20 + k).append(".0.0.0/8+ ] then { bgp_path.prepend(").append(64600 + k)
                    .append("); bgp_med = ").append(k).append("; bgp_next_hop = 192.0.2.").append(1 + k % 4)
                    .append("; accept; }\n");
        }
        return s.toString();
    }

    /** The {@code i}th /24 of the table. */
    static String prefix(int i) {
        return (20 + (i >> 16)) + "." + ((i >> 8) & 0xFF) + "." + (i & 0xFF) + ".0/24";
    }

    boolean established() {
        return ESTABLISHED.matcher(cli("show protocols all " + PROTOCOL)).find();
    }

    /** Whether BIRD's table holds {@code prefix} as learned from Cairn (stale or not). */
    boolean hasRouteFromCairn(String prefix) {
        String out = cli("show route " + prefix + " protocol " + PROTOCOL);
        if (!out.startsWith("0")) {
            throw new AssertionError("birdc failed: " + out);
        }
        return out.contains(prefix + " ");
    }

    /** The exit code, a newline, then birdc's output. */
    private String cli(String command) {
        try {
            Path out = Files.createTempFile(dir, "birdc", ".out");
            try {
                Process p = new ProcessBuilder(List.of(birdc, "-s", dir.resolve("bird.ctl").toString(), command))
                        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
                if (!p.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("birdc " + command + " did not answer within " + CLI_TIMEOUT);
                }
                return p.exitValue() + "\n" + read(out);
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        Processes.stopTree(process.toHandle(), Duration.ofSeconds(5));
    }
}
