package io.cairn.node.interop;

import java.time.Duration;
import java.util.List;

/**
 * A real BGP daemon (BIRD, FRR bgpd, GoBGP, ExaBGP) running as a child process of the test, with
 * its config, sockets and logs in a private temporary directory. Closing it stops the process.
 *
 * <p>Every await method polls the daemon's own CLI/API until a deadline and throws
 * {@link AssertionError} (with the daemon's log tail) when the deadline passes.
 */
public interface RouterDaemon extends AutoCloseable {

    /** "bird", "frr", "gobgp" or "exabgp": for messages. */
    String name();

    DaemonSpec spec();

    /** True when the session with {@code neighborAddress} is Established right now. */
    boolean isEstablished(String neighborAddress);

    void awaitEstablished(String neighborAddress, Duration timeout);

    /** Originates (or replaces) {@code route} towards all neighbors. */
    void announce(Route route);

    /** Stops originating {@code prefix}. */
    void withdraw(String prefix);

    /** Everything the daemon learned from its neighbors, as the daemon reports it now. */
    List<LearnedRoute> routes();

    /** Waits until some neighbor gave the daemon {@code prefix}; returns that route. */
    LearnedRoute awaitRoute(String prefix, Duration timeout);

    /** Waits until no neighbor gives the daemon {@code prefix} any more. */
    void awaitNoRoute(String prefix, Duration timeout);

    /**
     * Crashes the daemon: SIGKILL to its process tree, so it sends no NOTIFICATION and its TCP
     * sessions are closed by the kernel. Returns once the processes are gone. {@link #close()}
     * still cleans up; {@link #restart()} starts it again where the harness supports that.
     */
    void kill();

    /**
     * Starts a {@link #kill() killed} daemon again with its current config (announcements made
     * while it was down included), as it would come back after a crash: a daemon with graceful
     * restart on (see {@link DaemonSpec.Neighbor#gracefulRestartTime()}) restarts in recovery
     * mode (restart state and forwarding state bits set, RFC 4724 3). Waits until it answers.
     */
    void restart();

    /** The last lines of the daemon's log: for failure messages. */
    String logTail();

    /** Stops the daemon (and its children) and removes its temporary directory. Idempotent. */
    @Override
    void close();
}
