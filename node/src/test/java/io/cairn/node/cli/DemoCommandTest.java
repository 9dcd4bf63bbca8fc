package io.cairn.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.testsupport.Await;
import io.cairn.testsupport.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command as a user runs it: {@code cairn demo} in its own JVM (launched as the
 * launcher would), which starts ZooKeeper, two {@code cairn run} nodes and three NVAs. Its
 * narration is checked step by step, and nothing it started may outlive it, whether it succeeds,
 * fails or is interrupted.
 */
class DemoCommandTest {

    /** The demo bounds itself to well under this even on a busy machine; the test must not hang either way. */
    private static final Duration RUN = Duration.ofMinutes(4);
    /** The demo's ZooKeeper session timeout: the failover takes about this long. */
    private static final long SESSION_TIMEOUT_MILLIS = 3_000;
    private static final Pattern NODE_PID = Pattern.compile("node ([ab]) .* cairn run, pid (\\d+),");

    @TempDir
    Path dir;

    private Process demo;

    @AfterEach
    void stopDemo() throws IOException {
        if (demo != null) {
            assertEquals(List.of(), Processes.killTree(demo.toHandle(), Duration.ofSeconds(15)), "left running");
            // A demo that fails or is interrupted keeps its files for a look; the test needs them no more.
            Matcher files = Pattern.compile("\\(files in (\\S+)\\)").matcher(out());
            if (files.find()) {
                deleteTree(Path.of(files.group(1)));
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void narratesEveryStepOfTheCanonicalScenarioAndLeavesNothingRunning() throws Exception {
        start();
        assertTrue(demo.waitFor(RUN.toMillis(), TimeUnit.MILLISECONDS), "the demo did not finish within " + RUN);
        String out = out();
        assertEquals(0, demo.exitValue(), out + err());

        String start = step(out, 1);
        assertLine(start, "sdwan +127\\.0\\.0\\.21 +AS 65001 +announces 10\\.250\\.0\\.0/16 +AS path 65001 ");
        assertLine(start, "firewall-1 +127\\.0\\.0\\.31 +AS 65002 +announces 0\\.0\\.0\\.0/0 +AS path 65002 ");
        assertLine(start, "firewall-2 +127\\.0\\.0\\.32 +AS 65002 +announces 0\\.0\\.0\\.0/0 +AS path 65002 65002 ");

        String sessions = step(out, 2);
        String everySession = "firewall-1 Established, firewall-2 Established, sdwan Established";
        String leader = group(sessions, "node ([ab]) +leader, epoch \\d+ +" + everySession);
        String standby = group(sessions, "node ([ab]) +standby +" + everySession);
        assertNotEquals(leader, standby);

        String effective = step(out, 3);
        String before = routes(effective);
        assertEquals("0.0.0.0/0 via 127.0.0.31\n10.250.0.0/16 via 127.0.0.21\n", before,
                "internet through the active firewall only, on-premises through the SD-WAN NVA; never the VNet");

        String advertised = step(out, 4);
        for (String node : List.of("a", "b")) {
            String vnet = "10\\.1\\.0\\.0/16 via 127\\.0\\.0\\.1" + (node.equals("a") ? "1" : "2") + " \\(AS path 65515\\)";
            assertLine(advertised, "sdwan +from " + node + ": 0\\.0\\.0\\.0/0 via 127\\.0\\.0\\.31 \\(AS path 65002\\), " + vnet);
            for (String firewall : List.of("firewall-1", "firewall-2")) {
                assertLine(advertised, firewall + " +from " + node + ": " + vnet
                        + ", 10\\.250\\.0\\.0/16 via 127\\.0\\.0\\.21 \\(AS path 65001\\)");
            }
        }

        String failover = step(out, 5);
        assertLine(failover, "Killing node " + leader + ", the leader \\(pid \\d+\\), with SIGKILL");
        long tookOver = Long.parseLong(group(failover, "node " + standby + " took over (\\d+) ms after the kill"));
        assertTrue(tookOver <= SESSION_TIMEOUT_MILLIS + 3_000,
                "failover took " + tookOver + " ms, not about the ZooKeeper session timeout");
        assertLine(failover, "members now: " + standby + "; every NVA kept its session with node " + standby);
        assertEquals(before, routes(failover.substring(failover.indexOf("Effective routes unchanged"))));
        assertLine(failover, "SDN writes by node " + standby + " since the kill: 0 ");

        String withdrawal = step(out, 6);
        assertEquals("0.0.0.0/0 via 127.0.0.32\n10.250.0.0/16 via 127.0.0.21\n", routes(withdrawal),
                "internet through the backup firewall now");
        assertLine(withdrawal, "SDN writes by node " + standby + " for it: 1$");

        assertLine(out, "Demo complete in [0-9.]+ s: every step did what it promises\\.");
        assertLine(out, "Stopped everything it started");
        assertNodesGone(out);
    }

    @Test
    void aStepThatFailsIsNamedInOneLineAndStopsEverything() throws Exception {
        // No node answers its health check within one second of starting: step 1 fails.
        start("--timeout", "1");
        assertTrue(demo.waitFor(RUN.toMillis(), TimeUnit.MILLISECONDS), "the demo did not finish within " + RUN);
        assertEquals(1, demo.exitValue(), out() + err());
        List<String> errors = Files.readAllLines(dir.resolve("demo.err")).stream()
                .filter(l -> l.startsWith("demo: ")).toList();
        assertEquals(1, errors.size(), err());
        assertTrue(errors.get(0).startsWith("demo: failed at step 1 (start ZooKeeper, two Cairn nodes and three NVAs):"
                + " node a ready (GET /api/v1/health): not within 1 s"), errors.get(0));
        assertNodesGone(out());
    }

    @Test
    void ctrlCStopsTheNodesItStarted() throws Exception {
        start();
        Await.until("both nodes started", RUN, () -> NODE_PID.matcher(out()).results().count() == 2);
        signal("INT", demo.pid());
        assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "the demo did not stop on SIGINT");
        assertNodesGone(out());
    }

    private void start(String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("demo"));
        args.addAll(List.of(options));
        // As scripts/demo.sh runs it.
        demo = new ProcessBuilder(CairnJvm.command(CairnJvm.mainClasspath(), List.of("-XX:TieredStopAtLevel=1"),
                args.toArray(String[]::new)))
                .redirectOutput(dir.resolve("demo.out").toFile()).redirectError(dir.resolve("demo.err").toFile())
                .start();
    }

    private String out() {
        return read("demo.out");
    }

    private String err() {
        return read("demo.err");
    }

    private String read(String file) {
        try {
            return Files.readString(dir.resolve(file));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Every node the demo said it started has exited. */
    private static void assertNodesGone(String out) {
        Matcher m = NODE_PID.matcher(out);
        int nodes = 0;
        while (m.find()) {
            long pid = Long.parseLong(m.group(2));
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                    "node " + m.group(1) + " (pid " + pid + ") outlived the demo");
            nodes++;
        }
        assertEquals(2, nodes, "the demo names the pid of each node it starts:\n" + out);
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    /** The text of step {@code n}: from its numbered heading to the next one. */
    private static String step(String out, int n) {
        Matcher m = Pattern.compile("(?ms)^" + n + "\\. .*?(?=^\\d\\. |^Demo complete)").matcher(out);
        assertTrue(m.find(), "no step " + n + " in:\n" + out);
        return m.group();
    }

    /** The first block of route lines ("PREFIX via HOPS") of a step, one per line, spaces collapsed. */
    private static String routes(String step) {
        StringBuilder routes = new StringBuilder();
        Matcher m = Pattern.compile("(?m)^ +(\\S+/\\d+) +(via \\S.*)$").matcher(step);
        int end = -1;
        while (m.find() && (end < 0 || m.start() == end + 1)) {
            routes.append(m.group(1)).append(' ').append(m.group(2)).append('\n');
            end = m.end();
        }
        return routes.toString();
    }

    private static void assertLine(String text, String regex) {
        assertTrue(Pattern.compile("(?m)^ *" + regex).matcher(text).find(), "no line /" + regex + "/ in:\n" + text);
    }

    private static String group(String text, String regex) {
        Matcher m = Pattern.compile("(?m)^ *" + regex).matcher(text);
        assertTrue(m.find(), "no line /" + regex + "/ in:\n" + text);
        return m.group(1);
    }
}
