package io.cairn.node.interop;

import io.cairn.testsupport.Processes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Everything the four daemons share: the private temp directory, starting the child process,
 * running CLI commands with a timeout, bounded polling, and stopping the process tree.
 * Subclasses only know their daemon's config syntax and CLI output format.
 */
abstract class AbstractDaemon implements RouterDaemon {

    /** Short: the CLIs answer in milliseconds; this only bounds how stale a poll can be. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    /** Lines of each log a failure shows: enough for a few UPDATEs at debug level. */
    private static final int TAIL_LINES = 80;
    static final Duration CLI_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    protected final DaemonSpec spec;
    protected final Path dir;
    private Process process;
    private boolean closed;
    private boolean killed;

    protected AbstractDaemon(DaemonSpec spec, String name) {
        this.spec = spec;
        try {
            // Fresh directory per daemon: config, control socket, pid file and logs live here and
            // nowhere else, so parallel daemons (and the system's own services) never clash.
            this.dir = Files.createTempDirectory("cairn-interop-" + name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DaemonSpec spec() {
        return spec;
    }

    /**
     * Runs the subclass's startup (write config, start process, wait until the control socket
     * answers); if anything fails the half-started daemon is stopped before the error propagates,
     * because the caller never gets a reference to close.
     */
    protected final void boot(Runnable startup) {
        try {
            startup.run();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** Starts {@code command} with stdout+stderr going to {@code <dir>/stdout.log}. */
    protected final void startProcess(List<String> command, Map<String, String> environment) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()));
        pb.environment().putAll(environment);
        try {
            process = pb.start();
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Fails fast (instead of timing out later) when the daemon died, e.g. on a config error. */
    protected final void checkAlive() {
        if (process != null && !process.isAlive()) {
            throw new AssertionError(name() + (killed ? " was killed by the test" : " exited with "
                    + process.exitValue()) + "\n" + logTail());
        }
    }

    /** True while the daemon's process runs (false after {@link #kill()} until {@link #restart()}). */
    protected final synchronized boolean running() {
        return process != null && process.isAlive();
    }

    /**
     * Writes the config and starts the process, returning once it answers on its CLI/API. The
     * constructor of a restartable daemon calls it (inside {@link #boot}); {@link #restart()} calls
     * it again with {@code recovery} true. Daemons the harness cannot restart keep this default.
     */
    protected void launch(boolean recovery) {
        throw new UnsupportedOperationException(name() + ": the harness cannot restart this daemon");
    }

    /** Refuses a spec asking for graceful restart from a daemon whose harness does not configure it. */
    protected final void requireNoGracefulRestart() {
        if (spec.neighbors().stream().anyMatch(n -> n.gracefulRestartTime() > 0)) {
            throw new UnsupportedOperationException(name() + ": the harness does not configure graceful restart");
        }
    }

    @Override
    public synchronized void kill() {
        if (closed || process == null || !process.isAlive()) {
            return;
        }
        killed = true;
        // SIGKILL: no NOTIFICATION, no cleanup
        List<ProcessHandle> survivors = Processes.killTree(process.toHandle(), STOP_GRACE);
        if (!survivors.isEmpty()) {
            throw new AssertionError(name() + ": process " + survivors.get(0).pid() + " survived SIGKILL");
        }
    }

    @Override
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException(name() + " is closed");
        }
        if (running()) {
            throw new IllegalStateException(name() + " is still running: kill() it first");
        }
        killed = false;
        launch(true);
    }

    protected final void writeFile(String fileName, String content) {
        try {
            Files.writeString(dir.resolve(fileName), content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Result of one CLI invocation. */
    record CliResult(int exitCode, String output) {
    }

    /** Runs a CLI command to completion (bounded by {@link #CLI_TIMEOUT}); stdout+stderr merged. */
    protected final CliResult cli(List<String> command) {
        try {
            Path out = Files.createTempFile(dir, "cli-", ".out");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            try {
                if (!p.waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly().waitFor(CLI_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                    throw new AssertionError("CLI timed out: " + command);
                }
                return new CliResult(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** Like {@link #cli} but a non-zero exit code is a test failure. */
    protected final String cliOk(List<String> command) {
        CliResult r = cli(command);
        if (r.exitCode() != 0) {
            throw new AssertionError(name() + " CLI failed (" + r.exitCode() + "): " + command + "\n"
                    + r.output());
        }
        return r.output();
    }

    /**
     * Polls {@code probe} until it yields a value or the deadline passes. The only sleeping in the
     * harness happens here, between polls.
     */
    protected final <T> T await(String what, Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            checkAlive();
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name() + " " + spec.localAddress() + ": timed out after " + timeout
                        + " waiting for " + what + "\n" + logTail());
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void awaitEstablished(String neighborAddress, Duration timeout) {
        await("session with " + neighborAddress + " Established", timeout,
                () -> isEstablished(neighborAddress) ? Optional.of(true) : Optional.empty());
    }

    @Override
    public LearnedRoute awaitRoute(String prefix, Duration timeout) {
        return await("route " + prefix, timeout,
                () -> routes().stream().filter(r -> r.prefix().equals(prefix)).findFirst());
    }

    @Override
    public void awaitNoRoute(String prefix, Duration timeout) {
        await("no route " + prefix, timeout,
                () -> routes().stream().noneMatch(r -> r.prefix().equals(prefix)) ? Optional.of(true)
                        : Optional.empty());
    }

    /** The log files worth showing on failure; default: the child's stdout/stderr. */
    protected List<Path> logFiles() {
        return List.of(dir.resolve("stdout.log"));
    }

    @Override
    public String logTail() {
        StringBuilder sb = new StringBuilder();
        for (Path log : logFiles()) {
            try {
                List<String> lines = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
                sb.append("--- ").append(log).append(" (last " + TAIL_LINES + " lines)\n");
                lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size())
                        .forEach(l -> sb.append(l).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                sb.append("--- ").append(log).append(": ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * Stops the daemon by its PID: SIGTERM, then SIGKILL after a bounded wait. Children (ExaBGP's
     * API helper, anything a daemon forked) are collected first and stopped the same way, so no
     * process outlives the test. The temp dir is removed unless -Dcairn.interop.keep=true.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (process != null) {
            for (ProcessHandle h : Processes.stopTree(process.toHandle(), STOP_GRACE)) {
                System.err.println("interop: process " + h.pid() + " of " + name() + " did not exit");
            }
        }
        if (!Boolean.getBoolean("cairn.interop.keep")) {
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("interop: could not delete " + root + ": " + e);
        }
    }

    // ---- small helpers shared by the parsers ------------------------------------------------

    /** "65001:100" from a 32-bit community value. */
    static String community(long value) {
        return (value >>> 16) + ":" + (value & 0xffff);
    }

    static boolean isIpv6(String prefix) {
        return prefix.contains(":");
    }
}
