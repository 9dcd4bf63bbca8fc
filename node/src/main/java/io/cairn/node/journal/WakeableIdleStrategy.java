package io.cairn.node.journal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * How an agent thread with nothing to do waits for the next piece of work: it spins briefly, then
 * parks until a producer calls {@link #wake}. The journal writer is woken by sessions handing it
 * records and the RIB thread by the writer once records are appended, so a record crosses each
 * hand-off in microseconds instead of waiting out a backoff park, and an idle thread costs no CPU
 * the others on a small machine need.
 *
 * <p>An agent that also watches something that does not signal (a replica appended to by another
 * thread, a peer's channel becoming writable, a storage re-check) asks for a timed park with
 * {@link #parkTimed}: it then wakes at least every {@link #MAX_PARK_NANOS} (10 ms, so two such agents
 * wake 200 times a second, not 2,000). Otherwise it parks until woken: each wake-up costs a context
 * switch, measured at 65 us of CPU on this project's (paravirtualized) 2-core test VM, so an idle
 * node that woke its two agents on a clock spent 2.5 % of a core doing nothing.
 *
 * <p>{@link #wake} and {@link #stop} from any thread; the others from the agent's own thread only.
 */
public final class WakeableIdleStrategy implements IdleStrategy {

    /** Idle rounds spent spinning before parking: a record often follows within microseconds. */
    private static final int MAX_SPINS = 20;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private int spins;
    private boolean timed = true;
    private volatile Thread parked;
    private volatile boolean woken;
    private volatile boolean stopped;

    /**
     * From the agent's thread: whether its next parks end after {@link #MAX_PARK_NANOS} even when
     * nobody calls {@link #wake} (true at first, the safe default).
     */
    public void parkTimed(boolean timed) {
        this.timed = timed;
    }

    /**
     * The agent is being closed: wakes it and never parks it again, so that its runner sees it stop
     * at once (an agent parked until woken would otherwise hold {@code AgentRunner.close} for its
     * 5 s retry). Call before closing the runner.
     */
    public void stop() {
        stopped = true;
        wake();
    }

    /** There is work for the agent: unparks it if it is parked, or keeps it from parking next. */
    public void wake() {
        woken = true;
        Thread t = parked;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (spins < MAX_SPINS) {
            spins++;
            Thread.onSpinWait();
            return;
        }
        // Announce the park before looking at the flag, and a waker sets the flag before looking at
        // the announcement: one of the two sees the other, so no wake-up is lost.
        parked = Thread.currentThread();
        if (!woken && !stopped) {
            if (timed) {
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
            } else {
                LockSupport.park(this);
            }
        }
        parked = null;
        woken = false;
    }

    @Override
    public void reset() {
        spins = 0;
    }

    @Override
    public String alias() {
        return "wakeable";
    }
}
