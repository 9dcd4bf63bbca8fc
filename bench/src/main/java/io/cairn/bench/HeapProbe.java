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

    /**
     * GC.heap_info's "... total 123456K, used 7890K": one line for G1's heap, one per generation
     * for the parallel collector (PSYoungGen, ParOldGen), summed.
     */
    private static final Pattern USED = Pattern.compile("total \\d+K, used (\\d+)K");

    private HeapProbe() {
    }

    static long usedAfterGc(long pid) throws IOException {
        jcmd(pid, "GC.run");
        Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
        long usedK = 0;
        boolean found = false;
        while (m.find()) {
            usedK += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("jcmd " + pid + " GC.heap_info: no 'used' figure");
        }
        return usedK * 1024;
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
