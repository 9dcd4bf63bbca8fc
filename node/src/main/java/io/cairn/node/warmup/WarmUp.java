package io.cairn.node.warmup;

import io.cairn.node.CairnNode;
import io.cairn.node.bgp.session.Peer;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.config.PeerConfig;
import io.cairn.node.config.RibConfig;
import io.cairn.node.config.VnetConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Warms the JIT before a node's sessions open. A cold JVM runs the first table through the
 * interpreter and C1 while the compiler threads take the cores the RIB needs: on two cores that
 * is more than half of a cold convergence (bench/RESULTS.md, "Warm JVM convergence"). Here a
 * throwaway node with a temporary journal, on 127.0.0.1 and an ephemeral port, learns a synthetic
 * table from three simulated NVAs (127.0.0.2-4), in the shapes the real ones send: an ECMP pair
 * and a prepended backup, a prepend that moves the best path (in small UPDATEs), withdrawals;
 * every path is journaled, decided and exported as a real one is. Nothing of it reaches the real
 * node but compiled code.
 *
 * <p>Compiled code is only as good as the profile it was compiled from: a branch the warm-up
 * never took is left out, and the first real session that takes it sends the method back to the
 * interpreter to be compiled again, in the middle of the first table. So the warm-up also does
 * what real sessions do after a start (bench/RESULTS.md, "Warm-up that reaches C2"): each round
 * two NVAs restart while the third announces, and get the table when they come back; two quiet
 * NVAs (127.0.0.5-6, {@code reflect: false}) give some prefixes five candidates. At the end it
 * waits, bounded, for the JIT compilers to finish what the rounds queued.
 *
 * <p>Bounded by a deadline; a failure (no loopback addresses, no temporary directory) is logged
 * and the node starts cold.
 */
public final class WarmUp {

    private static final Logger log = LoggerFactory.getLogger(WarmUp.class);

    /** /24s each NVA announces per round, from 11.0.0.0 (11.255.0.0/16 holds the markers). */
    public static final int DEFAULT_PREFIXES = 20_000;
    public static final int DEFAULT_ROUNDS = 3;
    public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(30);
    /** At most this long after the rounds for the JIT compilers to finish (see awaitCompilerQuiet). */
    static final Duration SETTLE_LIMIT = Duration.ofSeconds(2);

    private static final long NODE_AS = 65515;
    private static final int NVAS = 3;
    /** NVAs that announce {@link #SHARED} prefixes besides the three and hear nothing of them. */
    private static final int QUIET_NVAS = 2;
    private static final int SHARED = 1_000;
    private static final long FIRST_NVA_AS = 64512;
    /**
     * NLRI per UPDATE: 1,000 /24s as full tables come (and the load test sends); with the
     * attributes below (at most 42 octets) the message stays under RFC 4271's 4,096 octets.
     */
    private static final int NLRI_PER_UPDATE = 1_000;
    /**
     * NLRI per UPDATE of the prepend step, as changes come: per-UPDATE code (the RIB's
     * announceAll, the export packer) runs once per message, and C2 compiles it only after
     * some hundreds of calls (Tier4MinInvocationThreshold, 600), which full-size UPDATEs alone
     * would reach only in the first real table (bench/RESULTS.md, "Warm-up that reaches C2").
     */
    private static final int NLRI_PER_CHANGE = 10;
    private static final int STEPS = 4;
    private static final byte MARKER_OCTET = (byte) 255;

    /**
     * What the warm-up did.
     *
     * @param rounds   rounds completed
     * @param paths    paths announced to the throwaway node
     * @param millis   wall time, from start to the throwaway node closed
     * @param complete every round was done within the budget
     */
    public record Result(int rounds, long paths, long millis, boolean complete) {
    }

    private WarmUp() {
    }

    /** Runs the default warm-up; never throws. */
    public static Result run() {
        return run(DEFAULT_PREFIXES, DEFAULT_ROUNDS, DEFAULT_BUDGET);
    }

    /**
     * Runs {@code rounds} rounds of {@code prefixes} /24s per NVA, giving up after {@code budget}.
     * Whatever goes wrong once it runs is logged, never thrown.
     *
     * @throws IllegalArgumentException prefixes outside 1..65,280 or rounds outside 1..16
     */
    public static Result run(int prefixes, int rounds, Duration budget) {
        if (prefixes < 1 || prefixes > 65_280 || rounds < 1 || rounds > 16) {
            throw new IllegalArgumentException("warm-up of " + prefixes + " prefixes x " + rounds + " rounds");
        }
        long started = System.nanoTime();
        long deadline = started + budget.toNanos();
        int done = 0;
        long paths = 0;
        Exception failure = null;
        long compilerSettled = -1;
        CairnNode node = null;
        List<WarmUpNva> nvas = new ArrayList<>();
        List<WarmUpNva> quiet = new ArrayList<>();
        try {
            List<PeerConfig> peers = new ArrayList<>();
            for (int k = 0; k < NVAS + QUIET_NVAS; k++) {
                peers.add(new PeerConfig("warm-up-nva-" + k, nvaAddress(k), FIRST_NVA_AS + k, PeerConfig.DEFAULT_HOLD_TIME,
                        null, Integer.MAX_VALUE, k < NVAS, true, PeerConfig.DEFAULT_PORT));
            }
            node = new CairnNode(NODE_AS, 0x7F000001L, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new VnetConfig(List.of(Prefix.parse("10.255.0.0/16")), null), peers, RibConfig.DEFAULT).start();
            PeerConfig toNode = new PeerConfig("warm-up-node", node.boundAddress().getAddress(), NODE_AS,
                    PeerConfig.DEFAULT_HOLD_TIME, null, Integer.MAX_VALUE, false, false, node.boundAddress().getPort());
            // One after the other, as sessions come up after a start: the RIB numbers them in this
            // order, the quiet ones first, so that b and the backup (which restart) come last.
            for (int k = 0; k < NVAS + QUIET_NVAS; k++) {
                int which = (k + NVAS) % (NVAS + QUIET_NVAS); // 3, 4, then 0, 1, 2
                WarmUpNva nva = new WarmUpNva(nvaAddress(which), FIRST_NVA_AS + which, toNode);
                (which < NVAS ? nvas : quiet).add(nva);
                if (!await(deadline, nva::established)) {
                    throw new IllegalStateException("the simulated NVAs' sessions did not come up");
                }
            }
            List<Prefix> table = table(prefixes);
            for (int round = 0; round < rounds; round++) {
                for (int step = 0; step < STEPS; step++) {
                    if (step == 0 && !restart(node, nvas, table, deadline)) {
                        throw new IllegalStateException("over its budget of " + budget.toSeconds() + " s");
                    }
                    paths += step(nvas, table, step);
                    if (round >= Math.min(1, rounds - 1)) { // see quietStep
                        paths += quietStep(quiet, table, step);
                    }
                    int marker = round * STEPS + step;
                    for (WarmUpNva nva : nvas) {
                        nva.send(List.of(announce(nva, 1, List.of(marker(marker, nvas.indexOf(nva))))));
                    }
                    if (!await(deadline, () -> everyMarkerHeard(nvas, marker))) {
                        throw new IllegalStateException("over its budget of " + budget.toSeconds() + " s");
                    }
                }
                done++;
            }
            compilerSettled = awaitCompilerQuiet(Math.min(deadline, System.nanoTime() + SETTLE_LIMIT.toNanos()));
        } catch (Exception e) {
            failure = e;
        } finally {
            List<WarmUpNva> all = new ArrayList<>(nvas);
            all.addAll(quiet);
            closeTogether(node, all);
        }
        Result result = new Result(done, paths, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                done == rounds);
        if (failure != null) {
            log.warn("warm-up stopped after {} of {} rounds, {} ms ({}); the node starts with what it compiled",
                    done, rounds, result.millis(), failure.toString());
        } else {
            log.info("warm-up: {} rounds of {} paths through a throwaway node in {} ms ({})", done,
                    paths / Math.max(1, done), result.millis(), compilerSettled < 0
                            ? "the JIT compilers were still busy " + SETTLE_LIMIT.toMillis() + " ms after the rounds"
                            : "of which " + compilerSettled + " ms waiting for the JIT compilers to finish");
        }
        return result;
    }

    /**
     * Closes the node and the NVAs at once: each speaker waits out a quiet period for its
     * NOTIFICATIONs to leave, which one after the other would add up at every start.
     */
    private static void closeTogether(CairnNode node, List<WarmUpNva> nvas) {
        List<AutoCloseable> all = new ArrayList<>(nvas);
        if (node != null) {
            all.add(node);
        }
        List<Thread> closing = new ArrayList<>();
        for (AutoCloseable c : all) {
            Thread t = new Thread(() -> {
                try {
                    c.close();
                } catch (Exception e) {
                    log.warn("warm-up: closing {}: {}", c, e.toString());
                }
            }, "warm-up-close");
            t.start();
            closing.add(t);
        }
        for (Thread t : closing) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(10)); // a speaker's close is itself bounded (BgpServer.close)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Step {@code step} of a round; returns the paths announced. */
    private static long step(List<WarmUpNva> nvas, List<Prefix> table, int step) {
        WarmUpNva a = nvas.get(0);
        WarmUpNva b = nvas.get(1);
        WarmUpNva backup = nvas.get(2);
        switch (step) {
            case 0 -> { // (a's table came with the restart) an ECMP pair from two neighbouring ASes and a prepended backup
                b.send(chunks(table, NLRI_PER_UPDATE, part -> announce(b, 1, part)));
                backup.send(chunks(table, NLRI_PER_UPDATE, part -> announce(backup, 2, part)));
                return 3L * table.size();
            }
            case 1 -> { // a prepends more than the backup, in small UPDATEs as changes come: b alone is best
                a.send(chunks(table, NLRI_PER_CHANGE, part -> announce(a, 3, part)));
                return table.size();
            }
            case 2 -> { // b withdraws: the backup is best
                b.send(chunks(table, NLRI_PER_UPDATE, WarmUp::withdraw));
                return 0;
            }
            default -> { // the rest withdraw: the table is empty again
                a.send(chunks(table, NLRI_PER_UPDATE, WarmUp::withdraw));
                backup.send(chunks(table, NLRI_PER_UPDATE, WarmUp::withdraw));
                return 0;
            }
        }
    }

    /**
     * The start of a round: b and the backup hang up, as NVAs that restart; a announces its table
     * while they are down; they call again, and the node exports its table to each new session,
     * the VNet route among it. That is what the real sessions meet after a start (they come up one
     * after the other while the first paths arrive): records made before a session came up that
     * must grow for it, a local (VNet) candidate, a session's first table. Without it the decision
     * and export code is compiled never having seen them, and the real sessions' first exports
     * send that code back to the interpreter (uncommon traps) just as the first table arrives
     * (bench/RESULTS.md, "Warm-up that reaches C2").
     */
    private static boolean restart(CairnNode node, List<WarmUpNva> nvas, List<Prefix> table, long deadline)
            throws InterruptedException {
        WarmUpNva a = nvas.get(0);
        List<WarmUpNva> restarting = nvas.subList(1, nvas.size());
        List<Peer> atNode = new ArrayList<>();
        List<Integer> flaps = new ArrayList<>();
        for (WarmUpNva nva : restarting) {
            Peer p = node.peers().stream().filter(x -> x.address().equals(nva.address())).findFirst().orElseThrow();
            atNode.add(p);
            flaps.add(p.flaps());
            nva.hangUp();
        }
        for (int i = 0; i < restarting.size(); i++) {
            Peer p = atNode.get(i);
            int before = flaps.get(i);
            // the old session is gone at the node: a new one before that would collide with it
            if (!await(deadline, () -> p.flaps() > before)) {
                return false;
            }
        }
        a.send(chunks(table, NLRI_PER_UPDATE, part -> announce(a, 1, part)));
        restarting.forEach(WarmUpNva::reconnect);
        return await(deadline, () -> restarting.stream().allMatch(WarmUpNva::established));
    }

    /**
     * The quiet NVAs' part of a step: they announce the first {@link #SHARED} prefixes with a long
     * path in step 0 and withdraw them in the last, so that those have five candidates, one more
     * than the decision's arrays start with (several NVAs announcing one prefix, e.g. a default
     * route: w2 of the load test has ten). Those arrays grow once per node, so they start only in
     * the second round: the code compiled in the first without that branch meets it here and is
     * compiled again with it, in the warm-up rather than in the first real table. They are peers
     * that neither hear nor are heard by the others ({@code reflect: false}), so they cost the
     * node no exports. Returns the paths announced.
     */
    private static long quietStep(List<WarmUpNva> quiet, List<Prefix> table, int step) {
        List<Prefix> shared = table.subList(0, Math.min(SHARED, table.size()));
        if (step == 0) {
            quiet.forEach(q -> q.send(chunks(shared, NLRI_PER_UPDATE, part -> announce(q, 4, part))));
            return (long) quiet.size() * shared.size();
        }
        if (step == STEPS - 1) {
            quiet.forEach(q -> q.send(chunks(shared, NLRI_PER_UPDATE, WarmUp::withdraw)));
        }
        return 0;
    }

    private static boolean everyMarkerHeard(List<WarmUpNva> nvas, int marker) {
        for (int j = 0; j < nvas.size(); j++) {
            for (int k = 0; k < nvas.size(); k++) {
                if (j != k && !nvas.get(j).heard(marker(marker, k))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@code p} is one of the markers each NVA sends after a step (11.255.0.0/16). */
    static boolean isMarker(Prefix p) {
        byte[] a = p.address();
        return a.length == 4 && a[0] == 11 && a[1] == MARKER_OCTET;
    }

    private static Prefix marker(int step, int nva) {
        return Prefix.of(new byte[] {11, MARKER_OCTET, (byte) step, (byte) nva}, 32);
    }

    private static List<Prefix> table(int prefixes) {
        List<Prefix> table = new ArrayList<>(prefixes);
        for (int i = 0; i < prefixes; i++) {
            table.add(Prefix.of(new byte[] {11, (byte) (i >>> 8), (byte) i, 0}, 24));
        }
        return table;
    }

    private static List<UpdateMessage> chunks(List<Prefix> table, int perUpdate,
                                              java.util.function.Function<List<Prefix>, UpdateMessage> message) {
        List<UpdateMessage> out = new ArrayList<>();
        for (int from = 0; from < table.size(); from += perUpdate) {
            out.add(message.apply(table.subList(from, Math.min(table.size(), from + perUpdate))));
        }
        return out;
    }

    /** The NVA's own AS {@code length} times, a MED and a community, as NVAs commonly send. */
    private static UpdateMessage announce(WarmUpNva nva, int length, List<Prefix> nlri) {
        long[] path = new long[length];
        Arrays.fill(path, nva.asn());
        return new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(PathAttribute.Origin.IGP),
                PathAttribute.AsPath.sequence(path), new PathAttribute.NextHop(nva.address()),
                new PathAttribute.MultiExitDisc(100), new PathAttribute.Communities(List.of((int) (nva.asn() << 16 | 100)))),
                nlri);
    }

    private static UpdateMessage withdraw(List<Prefix> prefixes) {
        return new UpdateMessage(prefixes, List.of(), List.of());
    }

    private static Inet4Address nvaAddress(int k) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + k)});
    }

    /**
     * Waits until the JIT compilers have been idle for a while ({@link CompilerActivity}): what is still in
     * their queues when the rounds end (C2 compiles of the hottest methods come last, later still
     * on a loaded machine) would otherwise be compiled during the first real table, on the cores
     * the RIB needs. Returns the milliseconds waited, or -1 at {@code until}, or when the JVM
     * does not report its compilation time.
     */
    private static long awaitCompilerQuiet(long until) throws InterruptedException {
        CompilerActivity jit = new CompilerActivity();
        if (!jit.available()) {
            return -1;
        }
        long started = System.nanoTime();
        long last = jit.sample();
        long quietSince = started;
        while (System.nanoTime() - quietSince < jit.quietNanos()) {
            if (System.nanoTime() > until) {
                return -1;
            }
            Thread.sleep(10);
            long now = jit.sample();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    /** Polls {@code done} until it holds or the deadline passes; bounded. */
    private static boolean await(long deadline, BooleanSupplier done) throws InterruptedException {
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
