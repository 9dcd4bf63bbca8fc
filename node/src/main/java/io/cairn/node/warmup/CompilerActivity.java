package io.cairn.node.warmup;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Whether the JIT compilers are still working: the CPU time of the JVM's compiler threads
 * (Linux: /proc/self/task/N/stat of the threads named "C1/C2 CompilerThre..."), which grows while
 * a compile runs; elsewhere the JVM's total compilation time, which grows only when a compile
 * ends (a C2 compile of a large method takes a few hundred ms), so a quiet period must be longer
 * there to mean the same.
 */
final class CompilerActivity {

    private static final Path TASKS = Path.of("/proc/self/task");

    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final boolean proc = Files.isDirectory(TASKS);

    /** Whether there is anything to watch at all. */
    boolean available() {
        return proc || jit != null && jit.isCompilationTimeMonitoringSupported();
    }

    /** A number that changes while the compilers work. */
    long sample() {
        if (proc) {
            long ticks = compilerThreadTicks();
            if (ticks >= 0) {
                return ticks;
            }
        }
        return jit == null ? 0 : jit.getTotalCompilationTime();
    }

    /** How long {@link #sample} must stay put for the compilers to count as idle. */
    long quietNanos() {
        return proc ? TimeUnit.MILLISECONDS.toNanos(60) : TimeUnit.MILLISECONDS.toNanos(400);
    }

    /** utime + stime in clock ticks of the compiler threads, or -1 when /proc cannot be read. */
    private static long compilerThreadTicks() {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended between the listing and the read
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (open < 0 || close < open || !stat.startsWith("C", open + 1)
                        || !stat.substring(open + 1, close).contains("CompilerThre")) {
                    continue;
                }
                // proc(5): after the name come state (field 3) ... utime (14), stime (15)
                String[] f = stat.substring(close + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }
}
