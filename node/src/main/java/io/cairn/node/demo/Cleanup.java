package io.cairn.node.demo;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Everything the demo started, stopped in reverse order exactly once: when the demo ends, when a
 * step fails, or from the shutdown hook on Ctrl-C or SIGTERM. A thing added after that (the hook
 * ran while the demo was starting it) is stopped at once.
 */
public final class Cleanup implements AutoCloseable {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<String> problems = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "cairn-demo-cleanup");
    private boolean closed;

    public Cleanup() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Registers {@code thing}, which was just started; returns it. */
    public <T extends AutoCloseable> T add(T thing) throws DemoFailure {
        synchronized (this) {
            if (!closed) {
                started.push(thing);
                return thing;
            }
        }
        closeQuietly(thing);
        throw new DemoFailure("stopped while starting (the demo is shutting down)");
    }

    /** Stops everything, last started first; what failed to stop is in {@link #problems()}. */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run: nothing left to remove
        }
    }

    /** What could not be stopped cleanly, one line each. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    private synchronized void stopAll() {
        closed = true;
        while (!started.isEmpty()) {
            closeQuietly(started.pop());
        }
    }

    private void closeQuietly(AutoCloseable thing) {
        try {
            thing.close();
        } catch (Exception e) {
            synchronized (this) {
                problems.add(thing + ": " + e.getMessage());
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
