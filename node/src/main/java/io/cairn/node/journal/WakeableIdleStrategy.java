package io.cairn.node.journal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.IdleStrategy;

/**
 * How an agent thread with nothing to do waits for the next piece of work: it spins briefly, then
 * parks until a producer calls {@link #wake} (or, as a safety net for sources that do not signal,
 * until {@link #MAX_PARK_NANOS} pass: 10 ms, so that an idle node's two agents wake 200 times a
 * second, not 2,000; with 1 ms they kept an idle node at 5 % of a core). The journal writer is woken by sessions handing it records and
 * the RIB thread by the writer once records are appended, so a record crosses each hand-off in
 * microseconds instead of waiting out a backoff park, and an idle thread costs no CPU the others on
 * a small machine need.
 *
 * <p>{@link #wake} from any thread; {@link #idle} from the agent's own thread only.
 */
public final class WakeableIdleStrategy implements IdleStrategy {

    /** Idle rounds spent spinning before parking: a record often follows within microseconds. */
    private static final int MAX_SPINS = 20;
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private int spins;
    private volatile Thread parked;
    private volatile boolean woken;

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
        if (!woken) {
            LockSupport.parkNanos(this, MAX_PARK_NANOS);
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
