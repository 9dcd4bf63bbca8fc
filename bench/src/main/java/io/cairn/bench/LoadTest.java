package io.cairn.bench;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Negotiated;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The loopback load test: for each router and workload, N fresh runs of
 * start router, connect monitor + K injectors, start the clock, send the pre-encoded UPDATEs,
 * stop the clock when the monitor holds every expected prefix with the expected best path,
 * read peak RSS and CPU from /proc, stop the router. Prints a table and writes Markdown.
 * With {@code --warm N} each run first plays the workload N times unmeasured in the same router
 * process (injector sessions shut down after each round, the router withdraws everything, new
 * sessions send the same bytes again): the measured round is then a warm process's, as a
 * long-running route server is after its first table.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.cairn.bench.LoadTest [--quick] [--runs N]
 *     [--routers cairn,bird,frr,openbgpd,gobgp] [--workloads 1,2,3]
 *     [--w1 2x100000] [--w2 10x10000] [--w3 4x250000] [--timeout 600] [--port 11790]
 *     [--markdown bench/target/results.md] [--cairn packaging/target/cairn/bin/cairn]
 *     [--cairn-java-opts "..."] [--cairn-warm-up] [--warm 0] [--keep] [--heap]
 * </pre>
 */
public final class LoadTest {

    private LoadTest() {
    }

    /** One measured run. */
    record Run(double seconds, long peakRssKb, double cpuTotal, double cpuDuringRun, double sendSeconds,
               long monitorUpdates, long wrongPath, List<Double> warmSeconds, double fromStart, String error) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>();
        boolean quick = false;
        boolean keep = false;
        boolean heap = false;
        boolean cairnWarmUp = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--quick")) {
                quick = true;
            } else if (a.equals("--keep")) {
                keep = true;
            } else if (a.equals("--heap")) {
                heap = true;
            } else if (a.equals("--cairn-warm-up")) {
                cairnWarmUp = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                System.out.println("usage: LoadTest [--quick] [--runs N] [--routers a,b] [--workloads 1,2,3]"
                        + " [--w1 KxM] [--w2 KxM] [--w3 KxM] [--timeout S] [--port P] [--markdown FILE]"
                        + " [--cairn LAUNCHER] [--cairn-java-opts OPTS] [--cairn-warm-up] [--warm N] [--keep] [--heap]");
                return;
            } else if (a.startsWith("--") && i + 1 < args.length) {
                opt.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument " + a + " (try --help)");
            }
        }
        int runs = Integer.parseInt(opt.getOrDefault("runs", quick ? "1" : "3"));
        int warm = Integer.parseInt(opt.getOrDefault("warm", "0"));
        if (warm < 0) {
            throw new IllegalArgumentException("--warm must be 0 or more, not " + warm);
        }
        List<String> routers = List.of(opt.getOrDefault("routers", "cairn,bird,frr,openbgpd,gobgp").split(","));
        Set<String> wanted = Set.of(opt.getOrDefault("workloads", "1,2,3").split(","));
        long timeoutSeconds = Long.parseLong(opt.getOrDefault("timeout", quick ? "120" : "900"));
        int basePort = Integer.parseInt(opt.getOrDefault("port", "11790"));
        Path markdown = Path.of(opt.getOrDefault("markdown", "bench/target/results.md"));
        Path cairn = Path.of(opt.getOrDefault("cairn", "packaging/target/cairn/bin/cairn")).toAbsolutePath();
        String cairnJavaOpts = opt.getOrDefault("cairn-java-opts", System.getenv("JAVA_OPTS"));

        List<Workload> workloads = new ArrayList<>();
        String[][] defs = {
            {"1", "w1", quick ? "2x2000" : "2x100000", "false"},
            {"2", "w2", quick ? "10x1000" : "10x10000", "true"},
            {"3", "w3", quick ? "4x5000" : "4x250000", "false"},
        };
        for (String[] d : defs) {
            if (wanted.contains(d[0])) {
                String[] km = opt.getOrDefault(d[1], d[2]).split("x");
                workloads.add(new Workload(d[1], Integer.parseInt(km[0]), Integer.parseInt(km[1]),
                        Boolean.parseBoolean(d[3])));
            }
        }
        if (workloads.stream().anyMatch(w -> w.peers > 200)) {
            throw new IllegalArgumentException("at most 200 peers (127.0.0.10 .. 127.0.0.209)");
        }

        String command = "LoadTest " + String.join(" ", args);
        System.out.printf("Cairn load test: routers %s, %d run(s) each%s, timeout %d s%n", routers, runs,
                warm == 0 ? "" : ", warm " + warm + " (each run measures its last of " + (warm + 1) + " rounds)",
                timeoutSeconds);
        Map<String, Map<String, List<Run>>> results = new LinkedHashMap<>();
        int portCounter = 0;
        for (Workload w : workloads) {
            // pre-encoded once per workload, before any clock starts; every router gets the same bytes
            Negotiated fourOctet = new Negotiated(true, false, true, Set.of(AddressFamily.IPV4_UNICAST));
            List<List<byte[]>> encoded = new ArrayList<>();
            for (int p = 0; p < w.peers; p++) {
                encoded.add(w.encode(p, fourOctet));
            }
            for (String name : routers) {
                Router probe = Router.byName(name, cairn, cairnJavaOpts, cairnWarmUp);
                String missing = probe.binaries().stream().filter(b -> !Files.isExecutable(Path.of(b)))
                        .findFirst().orElse(null);
                List<Run> list = results.computeIfAbsent(name, k -> new LinkedHashMap<>())
                        .computeIfAbsent(w.name, k -> new ArrayList<>());
                for (int r = 0; r < runs; r++) {
                    Run run;
                    if (missing != null) {
                        run = failed("not installed: " + missing);
                    } else {
                        Router router = Router.byName(name, cairn, cairnJavaOpts, cairnWarmUp);
                        int port = basePort + 2 * (portCounter++ % 200);
                        run = runOnce(router, w, encoded, port, timeoutSeconds, warm, keep,
                                heap && name.equals("cairn"));
                    }
                    list.add(run);
                    System.out.printf("  %-9s %s (%s) run %d%s: %s%n", name, w.name, w.describe(), r + 1,
                            warm == 0 ? "" : " warm " + warm,
                            run.error == null ? String.format("%.3f s, peak RSS %.1f MB, CPU %.2f s (%.2f s during run),"
                                            + " injectors done after %.3f s, monitor saw %d UPDATEs, %d wrong-path NLRI,"
                                            + " %.3f s from the router's start",
                                    run.seconds, run.peakRssKb / 1024.0, run.cpuTotal, run.cpuDuringRun,
                                    run.sendSeconds, run.monitorUpdates, run.wrongPath, run.fromStart) + warmRounds(run)
                                    : "FAILED: " + run.error);
                }
            }
        }
        String table = table(results, workloads, routers);
        System.out.println();
        System.out.print(table);
        StringBuilder md = new StringBuilder();
        md.append("## Load test ").append(ZonedDateTime.now().withNano(0)).append("\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs, ")
                .append(machine()).append("  \n");
        md.append("Workloads: ");
        for (Workload w : workloads) {
            md.append(w.name).append(" = ").append(w.describe()).append("; ");
        }
        md.append("median of ").append(runs).append(" run(s)");
        if (warm > 0) {
            md.append(", warm ").append(warm).append(" (each run measures the last of ").append(warm + 1)
                    .append(" rounds of the workload in one router process)");
        }
        md.append(".\n\n").append(table).append('\n');
        md.append("All runs (s / MB / CPU s):\n\n");
        results.forEach((router, byW) -> byW.forEach((wn, list) -> {
            md.append("- ").append(router).append(' ').append(wn).append(": ");
            for (Run r : list) {
                md.append(r.error == null ? String.format("%.3f/%.1f/%.2f", r.seconds, r.peakRssKb / 1024.0,
                        r.cpuTotal) + warmRounds(r) : "failed (" + r.error + ")").append("; ");
            }
            md.append('\n');
        }));
        if (markdown.getParent() != null) {
            Files.createDirectories(markdown.getParent());
        }
        Files.writeString(markdown, md.toString(), StandardCharsets.UTF_8);
        System.out.println("\nMarkdown written to " + markdown);
    }

    /** The unmeasured warm rounds' convergence, oldest first, or nothing without --warm. */
    private static String warmRounds(Run run) {
        if (run.warmSeconds.isEmpty()) {
            return "";
        }
        return run.warmSeconds.stream().map(s -> String.format("%.3f", s))
                .collect(java.util.stream.Collectors.joining(", ", " (warm rounds ", " s)"));
    }

    private static Run failed(String error) {
        return new Run(Double.NaN, 0, Double.NaN, Double.NaN, Double.NaN, 0, 0, List.of(), Double.NaN, error);
    }

    private static Run runOnce(Router router, Workload w, List<List<byte[]>> encoded, int port, long timeoutSeconds,
                               int warm, boolean keep, boolean heap) throws IOException {
        Path dir = Files.createTempDirectory("cairn-bench-" + router.name() + "-");
        BenchPeer mon = null;
        Injectors injectors = null;
        try {
            long launched = System.nanoTime();
            router.start(dir, port, w);
            Monitor monitor = new Monitor(w);
            mon = new BenchPeer("monitor", Router.MONITOR_ADDRESS, Router.MONITOR_AS, monitor);
            // the router's start: a JVM, and with --cairn-warm-up its warm-up, on a loaded machine
            mon.connect(Router.ROUTER_ADDRESS, port, 120_000);
            List<Double> warmSeconds = new ArrayList<>();
            injectors = Injectors.connect(w, port, 0);
            // warm rounds: the same workload in the same router process, unmeasured but for the
            // printed convergence; then the sessions go, and the next round starts from an empty table
            for (int round = 1; round <= warm; round++) {
                router.checkAlive();
                warmSeconds.add(converge(router, monitor, mon, injectors, encoded, timeoutSeconds)[0]);
                injectors.shutdown();
                awaitWithdrawn(router, monitor, mon, timeoutSeconds, round);
                monitor.nextRound();
                injectors = Injectors.connect(w, port, TimeUnit.SECONDS.toMillis(timeoutSeconds));
            }
            router.checkAlive();
            long heapBefore = heap ? HeapProbe.usedAfterGc(router.pid()) : 0;
            double cpuBefore = router.usage().cpuSeconds();
            long updatesBefore = monitor.updates;
            long wrongBefore = monitor.wrongPath;
            double[] measured = converge(router, monitor, mon, injectors, encoded, timeoutSeconds);
            Router.Usage usage = router.usage();
            if (heap) {
                long paths = (long) w.peers * w.prefixesPerPeer;
                long grown = HeapProbe.usedAfterGc(router.pid()) - heapBefore;
                System.out.printf("  heap after full GC grew by %.1f MB for %d paths: %.0f bytes per path%n",
                        grown / 1048576.0, paths, (double) grown / paths);
            }
            return new Run(measured[0], usage.peakRssKb(), usage.cpuSeconds(), usage.cpuSeconds() - cpuBefore,
                    measured[1], monitor.updates - updatesBefore, monitor.wrongPath - wrongBefore, warmSeconds,
                    (monitor.doneAt - launched) / 1e9, null);
        } catch (Exception e) {
            String msg = e.getMessage() != null ? e.getMessage() : e.toString();
            if (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
                msg = e.getCause().getMessage();
            }
            return failed(msg + " (log: " + dir + ")");
        } finally {
            if (mon != null) {
                mon.close();
            }
            if (injectors != null) {
                injectors.close();
            }
            router.stop();
            if (!keep) {
                deleteRecursively(dir, router);
            }
        }
    }

    /**
     * One round on the clock: the injectors send, and the clock stops when the monitor holds
     * every expected prefix with the expected best path. Returns {convergence s, injectors done s}.
     */
    private static double[] converge(Router router, Monitor monitor, BenchPeer mon, Injectors injectors,
                                     List<List<byte[]>> encoded, long timeoutSeconds) throws Exception {
        long start = injectors.send(encoded);
        long deadline = start + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        // bounded wait: the latch opens the moment the last prefix is right; the 100 ms slices
        // only exist to notice a dead router or session early
        while (!monitor.done.await(100, TimeUnit.MILLISECONDS)) {
            checkHealthy(router, mon, injectors);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeoutSeconds + " s: monitor holds "
                        + monitor.rightCount() + " of " + monitor.expected() + " prefixes right"
                        + (monitor.firstWrong == null ? "" : "; first wrong path: " + monitor.firstWrong));
            }
        }
        double seconds = (monitor.doneAt - start) / 1e9;
        return new double[] {seconds, (injectors.lastSent(start) - start) / 1e9};
    }

    /** After a warm round's sessions went down: waits (bounded) until the router withdrew all their routes. */
    private static void awaitWithdrawn(Router router, Monitor monitor, BenchPeer mon, long timeoutSeconds, int round)
            throws Exception {
        CountDownLatch empty = monitor.awaitEmpty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!empty.await(100, TimeUnit.MILLISECONDS)) {
            checkHealthy(router, mon, null);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("warm round " + round + ": " + timeoutSeconds + " s after the"
                        + " injectors shut down, the monitor still holds " + monitor.heldCount() + " of "
                        + monitor.expected() + " prefixes");
            }
        }
    }

    private static void checkHealthy(Router router, BenchPeer mon, Injectors injectors) throws Exception {
        router.checkAlive();
        if (mon.failed.isCompletedExceptionally()) {
            mon.failed.join();
        }
        if (injectors != null) {
            injectors.check();
        }
    }

    private static void deleteRecursively(Path root, Router router) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("bench: could not delete " + root + " of " + router.name());
        }
    }

    private static String machine() {
        try {
            String model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
            return model + ", Java " + System.getProperty("java.version");
        } catch (IOException e) {
            return "unknown";
        }
    }

    static double median(List<Double> values) {
        List<Double> v = values.stream().filter(d -> !d.isNaN()).sorted().toList();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    /** Markdown table (also readable as plain text): medians per router and workload. */
    static String table(Map<String, Map<String, List<Run>>> results, List<Workload> workloads, List<String> routers) {
        StringBuilder t = new StringBuilder();
        t.append("| router | workload | convergence s (median) | x BIRD | peak RSS MB | x BIRD | CPU s total"
                + " | CPU s during run | runs ok |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Workload w : workloads) {
            List<Run> bird = results.getOrDefault("bird", Map.of()).getOrDefault(w.name, List.of());
            double birdSec = median(bird.stream().map(Run::seconds).toList());
            double birdRss = median(bird.stream().map(r -> r.error == null ? r.peakRssKb / 1024.0 : Double.NaN)
                    .toList());
            for (String router : routers) {
                List<Run> list = results.getOrDefault(router, Map.of()).getOrDefault(w.name, List.of());
                long ok = list.stream().filter(r -> r.error == null).count();
                double sec = median(list.stream().map(Run::seconds).toList());
                double rss = median(list.stream().map(r -> r.error == null ? r.peakRssKb / 1024.0 : Double.NaN)
                        .toList());
                double cpu = median(list.stream().map(Run::cpuTotal).toList());
                double cpuRun = median(list.stream().map(Run::cpuDuringRun).toList());
                t.append(String.format("| %s | %s (%s) | %s | %s | %s | %s | %s | %s | %d/%d |%n", router, w.name,
                        w.describe(), fmt(sec, 3), fmt(sec / birdSec, 2), fmt(rss, 1), fmt(rss / birdRss, 2),
                        fmt(cpu, 2), fmt(cpuRun, 2), ok, list.size()));
            }
        }
        return t.toString();
    }

    private static String fmt(double v, int decimals) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format("%." + decimals + "f", v);
    }
}
