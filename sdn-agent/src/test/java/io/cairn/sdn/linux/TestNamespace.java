package io.cairn.sdn.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own ("sdn-test-" and a random suffix) with a veth pair whose
 * addresses make 10.9.0.0/24 and fd00:9::/64 on-link, so next hops there are reachable. Needs root;
 * {@link #assumeRoot()} skips the test loudly without it.
 */
final class TestNamespace implements AutoCloseable {

    static final long TABLE = 100;

    final String name = "sdn-test-" + UUID.randomUUID().toString().substring(0, 8);

    static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "SKIPPED: the linux driver tests need root to create network namespaces (run as root, as CI does)");
        assumeTrue(new java.io.File("/usr/sbin/ip").canExecute() || new java.io.File("/sbin/ip").canExecute()
                || new java.io.File("/usr/bin/ip").canExecute(), "SKIPPED: iproute2 (ip) is not installed");
    }

    TestNamespace create() {
        sh("ip netns add " + name);
        sh("ip -n " + name + " link set lo up");
        sh("ip -n " + name + " link add v0 type veth peer name v1");
        sh("ip -n " + name + " link set v0 up");
        sh("ip -n " + name + " link set v1 up");
        sh("ip -n " + name + " addr add 10.9.0.1/24 dev v0");
        sh("ip -n " + name + " addr add fd00:9::1/64 dev v0 nodad");
        return this;
    }

    /** Runs {@code ip -n NAME ARGS}; fails the test if it fails. */
    String ip(String args) {
        return sh("ip -n " + name + " " + args);
    }

    /** The routes of one family in the table, as ip prints them with -json (protocol names resolved). */
    JsonNode routes(String family, String filter) {
        try {
            String out = ip("-json " + family + " route show table " + TABLE + " " + filter);
            return new ObjectMapper().readTree(out.isBlank() ? "[]" : out);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    void delete() {
        run("ip netns del " + name);
    }

    @Override
    public void close() {
        delete();
    }

    /** Runs {@code command} split at spaces; fails the test if it fails. */
    static String sh(String command) {
        return exec(command.split(" "));
    }

    /** Runs {@code argv} as given; fails the test if it fails. */
    static String exec(String... argv) {
        Result r = run(List.of(argv));
        assertEquals(0, r.code, String.join(" ", argv) + " failed: " + r.err);
        return r.out;
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String command) {
        return run(List.of(command.split(" ")));
    }

    private static Result run(List<String> argv) {
        String command = String.join(" ", argv);
        try {
            Process p = new ProcessBuilder(argv).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish in 30 s");
            }
            return new Result(p.exitValue(), out, err);
        } catch (IOException e) {
            throw new AssertionError(command + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
