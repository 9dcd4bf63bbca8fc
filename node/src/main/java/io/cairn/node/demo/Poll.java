package io.cairn.node.demo;

import java.time.Duration;

/** Bounded waits: every wait of the demo has a deadline and names what it waited for. */
final class Poll {

    /** Often enough to measure a failover to a few tens of milliseconds, rarely enough to leave the CPU to the nodes. */
    private static final long INTERVAL_MILLIS = 20;

    /**
     * Looks once: a value when the awaited state is there, null when not yet. An exception also
     * means not yet, unless it is a permanent {@link DemoFailure}.
     */
    @FunctionalInterface
    interface Probe<T> {
        T look() throws Exception;
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Poll() {
    }

    /**
     * The first non-null value of {@code probe}; a {@link DemoFailure} naming {@code what} (and the
     * last exception of the probe, if any) once {@code timeout} has passed without one.
     */
    static <T> T until(String what, Duration timeout, Probe<T> probe) throws DemoFailure, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Exception last = null;
            try {
                T value = probe.look();
                if (value != null) {
                    return value;
                }
            } catch (DemoFailure e) {
                if (e.permanent()) {
                    throw e;
                }
                last = e;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception notYet) {
                last = notYet;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new DemoFailure(what + ": not within " + timeout.toSeconds() + " s"
                        + (last == null ? "" : " (last: " + last.getMessage() + ")"));
            }
            Thread.sleep(INTERVAL_MILLIS);
        }
    }

    static void await(String what, Duration timeout, Condition condition) throws DemoFailure, InterruptedException {
        until(what, timeout, () -> condition.holds() ? Boolean.TRUE : null);
    }
}
