package io.cairn.node.journal;

import io.cairn.node.bgp.session.Peer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * The bounded queue from the sessions' event loops to the journal writer, with backpressure: when
 * it is full, the producing session stops reading from its socket (TCP then slows the peer) and
 * keeps what it already read in order in its own backlog; when the writer has drained the queue
 * to half, each blocked session moves its backlog over and reads again. Nothing is ever dropped,
 * and per peer the order is kept. (java.util.concurrent queues, not Agrona's: those need
 * jdk.internal.misc exported to the unnamed module; a few thousand records a second do not need
 * them.)
 */
final class SessionInbox {

    /** One peer's records that did not fit; touched only on that peer's event loop. */
    private final class Backlog {
        final Peer peer;
        final ArrayDeque<BgpRecord> pending = new ArrayDeque<>();

        Backlog(Peer peer) {
            this.peer = peer;
        }

        void offer(BgpRecord r) {
            if (pending.isEmpty() && queue.offer(r)) {
                return;
            }
            if (pending.isEmpty()) {
                peer.readPaused(true);
                blocked.offer(this);
            }
            pending.add(r);
        }

        /** On the peer's event loop, once the writer made room. */
        void flush() {
            while (!pending.isEmpty() && queue.offer(pending.peek())) {
                pending.poll();
            }
            if (pending.isEmpty()) {
                peer.readPaused(false);
            } else {
                blocked.offer(this);
            }
            // The writer parks until woken: it must see the records moved, and a re-registration
            // it may have missed (it can drain the queue and look at the blocked ones meanwhile).
            wakeWriter.run();
        }
    }

    private final int capacity;
    private final Runnable wakeWriter;
    private final Queue<BgpRecord> queue;
    private final Queue<Backlog> blocked = new ConcurrentLinkedQueue<>();
    private final Map<Peer, Backlog> backlogs = new ConcurrentHashMap<>();

    /** @param wakeWriter tells the writer records arrived (any thread; {@link #submit}'s caller does that itself) */
    SessionInbox(int capacity, Runnable wakeWriter) {
        this.capacity = capacity;
        this.wakeWriter = wakeWriter;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** On the peer's event loop: queues {@code r} behind everything the peer sent before. */
    void submit(Peer peer, BgpRecord r) {
        backlogs.computeIfAbsent(peer, Backlog::new).offer(r);
    }

    /**
     * On the writer thread: hands up to {@code limit} records to {@code handler} in order; a record
     * the handler refuses (returns false for) stays at the head for the next call. Returns how many
     * were taken.
     */
    int drain(Predicate<BgpRecord> handler, int limit) {
        int n = 0;
        BgpRecord r;
        while (n < limit && (r = queue.peek()) != null && handler.test(r)) {
            queue.poll();
            n++;
        }
        if (queue.size() <= capacity / 2) {
            // Only those blocked now: a flush that finds the queue full again re-registers for a later round.
            Backlog b;
            for (int waiting = blocked.size(); waiting > 0 && (b = blocked.poll()) != null; waiting--) {
                b.peer.onEventLoop(b::flush);
            }
        }
        return n;
    }

    int size() {
        return queue.size();
    }
}
