package io.cairn.node.config;

/**
 * Route selection switches.
 *
 * @param multipath        paths that tie down to the MED step share the load (ECMP), as cloud
 *                         route servers do; off, the SDN gets the single best path
 * @param alwaysCompareMed compare MED between paths from different neighbouring ASes too
 * @param warmUp           before the sessions open, {@code cairn run} puts a synthetic table
 *                         through a throwaway node ({@link io.cairn.node.warmup.WarmUp}), so that
 *                         the first real table meets compiled code; it takes a few seconds
 */
public record RibConfig(boolean multipath, boolean alwaysCompareMed, boolean warmUp) {

    public static final RibConfig DEFAULT = new RibConfig(true, false, false);
}
