package io.cairn.node.rib;

import java.util.Arrays;

/**
 * The paths of one prefix as the decision process reads them: parallel arrays of numbers,
 * filled per prefix and reused, so selection allocates nothing. After
 * {@link DecisionProcess#select(Candidates)} returns n, {@link #order}[0, n) holds the indices
 * of the ECMP set, best first.
 */
public final class Candidates {

    int size;
    boolean[] local = new boolean[4];
    boolean[] external = new boolean[4];
    long[] bgpId = new long[4];
    byte[][] address = new byte[4][];
    /** Step keys, lower is better: LOCAL_PREF negated, AS-path length, ORIGIN, MED. */
    long[] negLocalPref = new long[4];
    long[] asPathLength = new long[4];
    long[] origin = new long[4];
    long[] med = new long[4];
    long[] neighbourAs = new long[4];
    int[] order = new int[4];
    /**
     * The last selection's MED step (per neighbouring AS) dropped a path. That step is not
     * transitive: without the path that beat it, a dropped path can win. Only when it dropped
     * nothing does every subset holding the best select that same best.
     */
    boolean medPruned;

    void clear() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** Adds one path: who it is from ({@code address} null for Cairn itself) and its parsed attributes. */
    void add(boolean isLocal, boolean isExternal, long bgpIdentifier, byte[] peerAddress, RouteFacts f) {
        if (size == order.length) {
            grow();
        }
        int i = size++;
        local[i] = isLocal;
        external[i] = isExternal;
        bgpId[i] = bgpIdentifier;
        address[i] = peerAddress == null ? NO_ADDRESS : peerAddress;
        negLocalPref[i] = -f.localPref();
        asPathLength[i] = f.asPathLength();
        origin[i] = f.origin();
        med[i] = f.med();
        neighbourAs[i] = f.neighbourAs();
    }

    private static final byte[] NO_ADDRESS = new byte[0];

    /**
     * How many sources (BGP Identifier and address) the ECMP set {@code order[0, n)} holds: one NVA
     * heard through two cluster nodes is two candidates but one path. The decision's tie-break
     * sorts the set by identifier and address, so one source's candidates are next to each other.
     */
    int sources(int n) {
        int sources = Math.min(n, 1);
        for (int i = 1; i < n; i++) {
            int a = order[i - 1];
            int b = order[i];
            if (bgpId[a] != bgpId[b] || !Arrays.equals(address[a], address[b])) {
                sources++;
            }
        }
        return sources;
    }

    private void grow() {
        int n = order.length * 2;
        local = Arrays.copyOf(local, n);
        external = Arrays.copyOf(external, n);
        bgpId = Arrays.copyOf(bgpId, n);
        address = Arrays.copyOf(address, n);
        negLocalPref = Arrays.copyOf(negLocalPref, n);
        asPathLength = Arrays.copyOf(asPathLength, n);
        origin = Arrays.copyOf(origin, n);
        med = Arrays.copyOf(med, n);
        neighbourAs = Arrays.copyOf(neighbourAs, n);
        order = Arrays.copyOf(order, n);
    }
}
