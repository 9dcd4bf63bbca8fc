package io.cairn.node.metrics;

import io.cairn.node.CairnNode;
import io.cairn.node.rib.RibCounts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Counts read from the RIB for the gauges, at most once per {@link #MAX_AGE_MILLIS} however
 * many gauges a JMX client reads. The RIB keeps them as counters, so a sample costs the RIB
 * thread one small query whatever its size.
 */
final class RibSampler {

    private static final Logger log = LoggerFactory.getLogger(RibSampler.class);
    static final long MAX_AGE_MILLIS = 1_000;
    /** A RIB that does not answer in this time keeps the previous sample on show. */
    static final long WAIT_MILLIS = 2_000;

    private final CairnNode node;
    private RibCounts last = RibCounts.EMPTY;
    private long takenAtNanos;

    RibSampler(CairnNode node) {
        this.node = node;
    }

    synchronized RibCounts get() {
        if (takenAtNanos != 0 && System.nanoTime() - takenAtNanos < TimeUnit.MILLISECONDS.toNanos(MAX_AGE_MILLIS)) {
            return last;
        }
        try {
            last = node.routeServer().counts().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            takenAtNanos = System.nanoTime();
        } catch (Exception e) {
            log.debug("RIB sample failed, showing the previous one: {}", e.toString());
        }
        return last;
    }
}
