package io.cairn.node.cli;

import io.cairn.node.demo.CanonicalScenario;
import io.cairn.node.demo.Cleanup;
import io.cairn.node.demo.DemoFailure;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code cairn demo}: the canonical scenario of DESIGN.md on this machine, narrated (see
 * {@link CanonicalScenario}). Exits 0 when every step did what it promises, else 1 with one line
 * naming the step and the reason; either way it stops everything it started, also on Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the canonical scenario on this machine: an embedded ZooKeeper, two Cairn nodes, an SD-WAN"
                + " NVA and two firewalls; kill the leader, withdraw the active firewall, and show what the SDN holds.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--verbose", description = "Show the demo's own INFO logs (ZooKeeper, the NVAs) as well as the"
            + " narration; the nodes log to files in the demo's directory.")
    boolean verbose;

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "The longest any one step may wait for what it promises (default ${DEFAULT-VALUE}).")
    int timeoutSeconds = 60;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (timeoutSeconds < 1) {
            err.println("demo: --timeout must be at least 1 second, not " + timeoutSeconds);
            return 2;
        }
        if (!verbose) {
            // ZooKeeper and three speakers in one process log a lot; the narration tells the story.
            ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                    .setLevel(ch.qos.logback.classic.Level.WARN);
        }
        Path dir = Files.createTempDirectory("cairn-demo-");
        Cleanup cleanup = new Cleanup();
        try {
            new CanonicalScenario(out, dir, cleanup, Duration.ofSeconds(timeoutSeconds)).run();
        } catch (DemoFailure e) {
            cleanup.close();
            out.flush();
            err.println("demo: failed at " + e.getMessage() + " (configs and logs kept in " + dir + ")");
            return 1;
        } finally {
            cleanup.close();
        }
        if (!cleanup.problems().isEmpty()) {
            err.println("demo: could not stop everything it started: " + String.join("; ", cleanup.problems()));
            return 1;
        }
        deleteTree(dir);
        out.println("Stopped everything it started (ZooKeeper, the nodes, the NVAs) and removed " + dir + ".");
        out.flush();
        return 0;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
