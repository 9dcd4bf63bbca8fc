package io.cairn.node.rib;

import io.cairn.node.bgp.session.Peer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The bounded queue from the sessions' event loops to the RIB thread, with backpressure: when
 * it is full, the producing session stops reading from its socket (TCP then slows the peer)
 * and keeps what it already read in order in its own backlog; when the RIB has drained the
 * queue to half, each blocked session moves its backlog over and reads again. Nothing is ever
 * dropped, and per peer the order is kept. (java.util.concurrent queues, not Agrona's: those
 * need jdk.internal.misc exported to the unnamed module; a few hundred UPDATEs a second do not
 * need them.)
 */
final class RibInbox {

    /** One peer's events that did not fit; touched only on that peer's event loop. */
    private final class Backlog {
        final Peer peer;
        final ArrayDeque<RibEvent> pending = new ArrayDeque<>();

        Backlog(Peer peer) {
            this.peer = peer;
        }

        void offer(RibEvent e) {
            if (pending.isEmpty() && queue.offer(e)) {
                return;
            }
            if (pending.isEmpty()) {
                peer.readPaused(true);
                blocked.offer(this);
            }
            pending.add(e);
        }

        /** On the peer's event loop, once the RIB made room. */
        void flush() {
            while (!pending.isEmpty() && queue.offer(pending.peek())) {
                pending.poll();
            }
            if (pending.isEmpty()) {
                peer.readPaused(false);
            } else {
                blocked.offer(this);
            }
        }
    }

    private final int capacity;
    private final Queue<RibEvent> queue;
    private final Queue<Backlog> blocked = new ConcurrentLinkedQueue<>();
    private final Map<Peer, Backlog> backlogs = new ConcurrentHashMap<>();

    RibInbox(int capacity) {
        this.capacity = capacity;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** On the peer's event loop: queues {@code e} behind everything the peer sent before. */
    void submit(RibEvent e) {
        backlogs.computeIfAbsent(e.peer(), Backlog::new).offer(e);
    }

    /** On the RIB thread: hands up to {@code limit} events to {@code handler}; returns how many. */
    int drain(Consumer<RibEvent> handler, int limit) {
        int n = 0;
        RibEvent e;
        while (n < limit && (e = queue.poll()) != null) {
            handler.accept(e);
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

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
