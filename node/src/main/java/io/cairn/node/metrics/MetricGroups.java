package io.cairn.node.metrics;

import com.codahale.metrics.MetricRegistry;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Metrics that come and go in groups, one group per key (a peer, an origin), every name of a
 * group starting with the same prefix. JMX follows the registry, so a group's MBeans appear
 * and go with it.
 */
final class MetricGroups {

    private final MetricRegistry registry;
    private final UnaryOperator<String> prefix;
    private final Consumer<String> register;
    private final Set<String> keys = new HashSet<>();

    /**
     * @param prefix   the prefix of every metric of a key's group
     * @param register registers a new key's group
     */
    MetricGroups(MetricRegistry registry, UnaryOperator<String> prefix, Consumer<String> register) {
        this.registry = registry;
        this.prefix = prefix;
        this.register = register;
    }

    /** Removes the groups of keys not in {@code now} and registers those of keys new in it. */
    synchronized void sync(Set<String> now) {
        for (String gone : Set.copyOf(keys)) {
            if (!now.contains(gone)) {
                String p = prefix.apply(gone);
                registry.removeMatching((name, metric) -> name.startsWith(p));
                keys.remove(gone);
            }
        }
        for (String key : now) {
            if (keys.add(key)) {
                register.accept(key);
            }
        }
    }
}
