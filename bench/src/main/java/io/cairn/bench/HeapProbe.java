package io.cairn.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Used Java heap of another JVM after a full collection, read with {@code jcmd}: the difference
 * before and after loading a workload is what the RIB keeps per path (issue 4's target: at most
 * 150 bytes per path with 1M paths).
 */
final class HeapProbe {

    /** G1 and Parallel print "... total 123456K, used 7890K" in GC.heap_info. */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private HeapProbe() {
    }

    static long usedAfterGc(long pid) throws IOException {
        jcmd(pid, "GC.run");
        Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
        if (!m.find()) {
            throw new IOException("jcmd " + pid + " GC.heap_info: no 'used' figure");
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private static String jcmd(long pid, String command) throws IOException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("jcmd " + pid + " " + command + " did not finish in 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (p.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }
}
