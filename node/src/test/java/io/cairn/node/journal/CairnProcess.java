package io.cairn.node.journal;

import io.cairn.node.admin.Http;
import io.cairn.node.bgp.session.Loopback;
import io.cairn.node.cli.CairnJvm;
import io.cairn.testsupport.Await;
import io.cairn.testsupport.Processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cairn run} in its own JVM, as the launcher starts it, so that a test can kill it for real
 * (SIGKILL: no shutdown hook, no closing snapshot) and start another on the same journal. Its log
 * (stderr) goes to a file of its own; the admin API is on a free loopback port.
 */
final class CairnProcess implements AutoCloseable {

    /** A million paths fit in well under this; the CI machine has little RAM to spare. */
    static final String HEAP = "-Xmx1200m";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Pattern REPLAYED =
            Pattern.compile("journal (\\S+): replayed (\\d+) records, (\\d+) paths, in (\\d+) ms");

    /** What the start-up log line says the replay did. */
    record Replay(long records, long paths, long millis) {
    }

    final Path log;
    final Http admin;
    private final Process process;

    private CairnProcess(Process process, Path log, Http admin) {
        this.process = process;
        this.log = log;
        this.admin = admin;
    }

    /** Starts {@code cairn run --config CONFIG}, logging to {@code log}. */
    static CairnProcess start(Path config, Path log, int adminPort) throws IOException {
        List<String> command = CairnJvm.command(CairnJvm.mainClasspath(), List.of(HEAP, "-XX:+UseSerialGC"),
                "run", "--config", config.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new CairnProcess(p, log, new Http(Loopback.address(1).getHostAddress() + ":" + adminPort));
    }

    /** Waits until {@code /api/v1/health} says ready: the journal replayed and the sessions open. */
    CairnProcess awaitReady(Duration timeout) {
        Await.until("cairn to be ready (log " + log + ")", timeout, () -> {
            assertAlive();
            return get("/api/v1/health").map(r -> r.status() == 200).orElse(false);
        });
        return this;
    }

    /** A GET, or empty while the admin API does not answer yet. */
    Optional<Http.Reply> get(String path) {
        try {
            return Optional.of(admin.get(path));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A GET that must answer 200. */
    Http.Reply getOk(String path) {
        Http.Reply r = get(path).orElseThrow(() -> new AssertionError("the admin API does not answer " + path));
        if (r.status() != 200) {
            throw new AssertionError(path + ": " + r.status() + " " + r.json());
        }
        return r;
    }

    /** The replay figures of this start's log line; fails when it never logged one. */
    Replay replay() {
        Matcher m = REPLAYED.matcher(logText());
        if (!m.find()) {
            throw new AssertionError("no 'replayed' line in " + log);
        }
        return new Replay(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4)));
    }

    String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("cairn exited with " + process.exitValue() + "; log " + log);
        }
    }

    /** SIGKILL: a crash, nothing written on the way out. */
    void kill() {
        if (!Processes.killTree(process.toHandle(), STOP_GRACE).isEmpty()) {
            throw new AssertionError("cairn survived SIGKILL");
        }
    }

    @Override
    public void close() {
        Processes.stopTree(process.toHandle(), STOP_GRACE);
    }
}
