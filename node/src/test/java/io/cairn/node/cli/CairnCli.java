package io.cairn.node.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the {@code cairn} CLI in its own JVM, as the launcher would, and captures what it says. */
public final class CairnCli {

    private CairnCli() {
    }

    /** What one run printed, and its exit code. */
    public record Run(int exit, String out, String err) {
        public List<String> lines() {
            return out.lines().toList();
        }

        /** The table's line {@code n} with its column padding reduced to two spaces. */
        public String row(int n) {
            return lines().get(n).replaceAll("\\s{2,}", "  ");
        }
    }

    /**
     * @param dir  where its output is kept
     * @param env  environment variables set for it ({@code CAIRN_ADMIN*} are cleared otherwise)
     */
    public static Run run(Path dir, Map<String, String> env, String... args) throws Exception {
        // The main classpath only: the CLI logs as the launcher's would, not into the tests' log file.
        List<String> command = CairnJvm.command(CairnJvm.mainClasspath(), List.of("-XX:TieredStopAtLevel=1"), args);
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("CAIRN_ADMIN");
        pb.environment().remove("CAIRN_ADMIN_TOKEN_FILE");
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cairn " + String.join(" ", args) + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
