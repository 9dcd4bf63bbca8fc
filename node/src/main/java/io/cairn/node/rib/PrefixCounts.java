package io.cairn.node.rib;

/**
 * A peer's prefix counts as birdc and gobgp show them, kept by the RIB as paths come and go, so
 * reading them costs nothing per path.
 *
 * @param received   prefixes in its Adj-RIB-In, stale ones included
 * @param accepted   received ones not filtered by the import rules (inside the VNet: not for the SDN)
 * @param advertised prefixes in its Adj-RIB-Out
 * @param stale      received ones kept stale by graceful restart
 */
public record PrefixCounts(int received, int accepted, int advertised, int stale) {

    public static final PrefixCounts NONE = new PrefixCounts(0, 0, 0, 0);
}
