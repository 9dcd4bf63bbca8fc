package io.cairn.sdn.linux;

import io.cairn.sdn.SdnException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs iproute2's {@code ip}, inside a named network namespace when one is configured
 * ({@code ip -n NETNS}, which needs the name under /var/run/netns), with numeric output ({@code -N}:
 * protocol and type numbers rather than names that depend on /etc/iproute2).
 *
 * <p>Input, output and errors go through temporary files rather than pipes: a batch of ten
 * thousand lines with many errors would otherwise fill one pipe while we write the other, and
 * both processes would wait forever. Every run is bounded by a timeout.
 */
final class IpCommand {

    record Result(int exitCode, String stdout, String stderr) {
    }

    private final String netns;
    private final Duration timeout;

    IpCommand(String netns, Duration timeout) {
        this.netns = netns;
        this.timeout = timeout;
    }

    String where() {
        return netns == null ? "" : " in network namespace " + netns;
    }

    /** Runs {@code ip [-n NETNS] -N ARGS...} with {@code stdin} (may be empty). */
    Result run(List<String> args, String stdin) throws SdnException {
        List<String> command = new ArrayList<>(List.of("ip", "-N"));
        if (netns != null) {
            command.add("-n");
            command.add(netns);
        }
        command.addAll(args);
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            in = Files.createTempFile("cairn-ip-in", ".txt");
            out = Files.createTempFile("cairn-ip-out", ".txt");
            err = Files.createTempFile("cairn-ip-err", ".txt");
            Files.writeString(in, stdin);
            Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SdnException(String.join(" ", command) + ": no answer within " + timeout.toSeconds()
                        + " s", true);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            // Most likely no iproute2 on this machine: nothing a retry fixes.
            throw new SdnException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SdnException("interrupted while running ip", true, e);
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // A leftover temporary file is harmless; the error that matters is reported elsewhere.
            }
        }
    }
}
