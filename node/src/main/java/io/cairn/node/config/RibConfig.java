package io.cairn.node.config;

/**
 * Route selection switches.
 *
 * @param multipath        paths that tie down to the MED step share the load (ECMP), as cloud
 *                         route servers do; off, the SDN gets the single best path
 * @param alwaysCompareMed compare MED between paths from different neighbouring ASes too
 */
public record RibConfig(boolean multipath, boolean alwaysCompareMed) {

    public static final RibConfig DEFAULT = new RibConfig(true, false);
}
