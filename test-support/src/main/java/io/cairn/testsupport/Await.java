package io.cairn.testsupport;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Bounded polling: waits for a condition with a deadline instead of sleeping a guessed time.
 * Failures are {@link AssertionError}s, which JUnit reports as test failures, so this class needs
 * no test framework.
 */
public final class Await {

    /** Short enough to add little latency to a test, long enough not to spin a shared CPU. */
    private static final Duration POLL = Duration.ofMillis(10);

    private Await() {
    }

    /** Returns as soon as {@code condition} holds; fails naming {@code what} once {@code timeout} passed. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            pause(what);
        }
    }

    /** Asserts {@code condition} stays false for the whole {@code window}. */
    public static void never(String what, Duration window, BooleanSupplier condition) {
        long deadline = System.nanoTime() + window.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                throw new AssertionError("unexpectedly " + what);
            }
            pause(what);
        }
    }

    private static void pause(String what) {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        }
    }
}
