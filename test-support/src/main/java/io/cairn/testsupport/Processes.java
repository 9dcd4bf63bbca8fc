package io.cairn.testsupport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a child process and everything it forked (daemons fork helpers: ExaBGP its API process,
 * OpenBGPD its session engine and RDE), so that nothing outlives a test or a benchmark run.
 */
public final class Processes {

    private Processes() {
    }

    /**
     * The root and its descendants, listed before any is signalled: once the root dies its children
     * are re-parented and no longer show up as its descendants.
     */
    public static List<ProcessHandle> tree(ProcessHandle root) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(root);
        root.descendants().forEach(tree::add);
        return tree;
    }

    /**
     * SIGTERM to the whole tree, so that daemons shut down cleanly; SIGKILL to the processes still
     * running after {@code grace}. Returns those that outlived SIGKILL by another {@code grace}
     * (empty when the tree is gone).
     */
    public static List<ProcessHandle> stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = tree(root);
        tree.forEach(ProcessHandle::destroy);
        List<ProcessHandle> stubborn = awaitExit(tree, grace);
        stubborn.forEach(ProcessHandle::destroyForcibly);
        return awaitExit(stubborn, grace);
    }

    /**
     * SIGKILL to the whole tree: a crash, no clean shutdown. Returns the processes still running
     * after {@code grace} (empty when the tree is gone).
     */
    public static List<ProcessHandle> killTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> tree = tree(root);
        tree.forEach(ProcessHandle::destroyForcibly);
        return awaitExit(tree, grace);
    }

    /**
     * Waits up to {@code grace} for all of them together (not {@code grace} each) and returns those
     * still running. A killed grandchild stays "running" until init reaps it, which can take a second.
     */
    private static List<ProcessHandle> awaitExit(List<ProcessHandle> processes, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        List<ProcessHandle> running = new ArrayList<>();
        for (ProcessHandle h : processes) {
            try {
                h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still running, or its exit could not be watched: isAlive below decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (h.isAlive()) {
                running.add(h);
            }
        }
        return running;
    }
}
