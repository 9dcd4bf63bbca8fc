package io.cairn.cluster.membership;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every leadership change of every node in one test, in the order the listeners were called.
 * Listeners run at the moment of the transition, so this order is the order of the facts.
 */
final class LeadershipLog {

    record Event(int seq, String node, boolean elected, long epoch, long nanos) {
    }

    private final List<Event> events = new ArrayList<>();

    LeadershipListener listenerFor(String node) {
        return new LeadershipListener() {
            @Override
            public void elected(long epoch) {
                record(node, true, epoch);
            }

            @Override
            public void revoked(long epoch) {
                record(node, false, epoch);
            }
        };
    }

    private synchronized void record(String node, boolean elected, long epoch) {
        events.add(new Event(events.size(), node, elected, epoch, System.nanoTime()));
    }

    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    synchronized int size() {
        return events.size();
    }

    /**
     * Replays the log: no node is elected while another still leads, each revocation names the
     * epoch its node was elected with, and every election has a higher epoch than all before.
     */
    synchronized void assertConsistent() {
        Map<String, Long> leading = new HashMap<>();
        long highest = Leadership.NO_EPOCH;
        for (Event e : events) {
            if (e.elected()) {
                if (!leading.isEmpty()) {
                    fail("event " + e + " while " + leading + " still led; log: " + events);
                }
                assertTrue(e.epoch() > highest, "epoch " + e.epoch() + " not above " + highest + "; log: " + events);
                highest = e.epoch();
                leading.put(e.node(), e.epoch());
            } else {
                Long held = leading.remove(e.node());
                if (held == null || held != e.epoch()) {
                    fail("revocation " + e + " of a term not held (" + held + "); log: " + events);
                }
            }
        }
    }
}
