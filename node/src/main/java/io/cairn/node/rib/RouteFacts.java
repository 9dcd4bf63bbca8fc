package io.cairn.node.rib;

import io.cairn.node.bgp.wire.PathAttribute;

import java.util.List;

/**
 * What the decision process and export read of an attribute set, parsed once when the set is
 * interned so that per-prefix work compares numbers, never attribute objects.
 *
 * @param localPref   LOCAL_PREF, or {@link DecisionProcess#DEFAULT_LOCAL_PREF} when absent
 * @param asPathLength RFC 4271 9.1.2.2 a: an AS_SET counts 1, confederation segments 0
 * @param origin      ORIGIN, INCOMPLETE when absent
 * @param med         MULTI_EXIT_DISC, 0 when absent (RFC 4271 9.1.2.2 c)
 * @param neighbourAs the first AS of the path, 0 when it does not start with a sequence
 * @param asns        every AS number of the AS_PATH, for the loop checks
 */
record RouteFacts(long localPref, int asPathLength, int origin, long med, long neighbourAs,
                  boolean noAdvertise, boolean noExport, long[] asns) {

    /** True when {@code asn} appears anywhere in the AS_PATH (RFC 4271 9.1.2 loop detection). */
    boolean pathContains(long asn) {
        for (long a : asns) {
            if (a == asn) {
                return true;
            }
        }
        return false;
    }

    static RouteFacts of(List<PathAttribute> attributes) {
        long localPref = DecisionProcess.DEFAULT_LOCAL_PREF;
        int origin = PathAttribute.Origin.INCOMPLETE;
        long med = 0;
        PathAttribute.AsPath asPath = PathAttribute.AsPath.EMPTY;
        boolean noAdvertise = false;
        boolean noExport = false;
        for (PathAttribute a : attributes) {
            if (a instanceof PathAttribute.LocalPref lp) {
                localPref = lp.value();
            } else if (a instanceof PathAttribute.Origin o) {
                origin = o.value();
            } else if (a instanceof PathAttribute.MultiExitDisc m) {
                med = m.value();
            } else if (a instanceof PathAttribute.AsPath p) {
                asPath = p;
            } else if (a instanceof PathAttribute.Communities c) {
                noAdvertise = c.contains(PathAttribute.Communities.NO_ADVERTISE);
                noExport = c.contains(PathAttribute.Communities.NO_EXPORT);
            }
        }
        long[] asns = asPath.segments().stream().flatMapToLong(seg -> java.util.Arrays.stream(seg.asns())).toArray();
        return new RouteFacts(localPref, asPath.pathLength(), origin, med, asPath.firstAs(), noAdvertise, noExport, asns);
    }
}
