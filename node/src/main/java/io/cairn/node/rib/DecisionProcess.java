package io.cairn.node.rib;

import io.cairn.node.bgp.wire.PathAttribute;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Route selection, RFC 4271 9.1.2.2, as a comparator where the smaller path is preferred.
 * Locally originated paths (the VNet prefixes) win over anything learned.
 */
public final class DecisionProcess {

    private DecisionProcess() {
    }

    /** Default LOCAL_PREF for paths without one (eBGP paths never carry it here, RFC 4271 5.1.5). */
    static final long DEFAULT_LOCAL_PREF = 100;

    public static final Comparator<Path> PREFERENCE = DecisionProcess::compare;

    static int compare(Path a, Path b) {
        if (a.source().isLocal() != b.source().isLocal()) {
            return a.source().isLocal() ? -1 : 1;
        }
        // 9.1.1: degree of preference, highest LOCAL_PREF first
        int c = Long.compare(localPref(b), localPref(a));
        if (c != 0) {
            return c;
        }
        // 9.1.2.2 a: shortest AS_PATH (an AS_SET counts 1)
        c = Integer.compare(a.asPath().pathLength(), b.asPath().pathLength());
        if (c != 0) {
            return c;
        }
        // 9.1.2.2 b: lowest ORIGIN
        c = Integer.compare(origin(a), origin(b));
        if (c != 0) {
            return c;
        }
        // 9.1.2.2 c: lowest MED, only between paths from the same neighbouring AS
        if (a.asPath().firstAs() == b.asPath().firstAs()) {
            c = Long.compare(med(a), med(b));
            if (c != 0) {
                return c;
            }
        }
        // 9.1.2.2 d: eBGP over iBGP
        if (a.source().external() != b.source().external()) {
            return a.source().external() ? -1 : 1;
        }
        // 9.1.2.2 e (IGP cost) does not apply: every next hop is one hop away in the VNet.
        // 9.1.2.2 f: lowest BGP Identifier
        c = Long.compare(a.source().bgpIdentifier(), b.source().bgpIdentifier());
        if (c != 0) {
            return c;
        }
        // 9.1.2.2 g: lowest peer address
        return Arrays.compareUnsigned(address(a), address(b));
    }

    private static long localPref(Path p) {
        return p.attribute(PathAttribute.LocalPref.class).map(PathAttribute.LocalPref::value).orElse(DEFAULT_LOCAL_PREF);
    }

    private static int origin(Path p) {
        return p.attribute(PathAttribute.Origin.class).map(PathAttribute.Origin::value).orElse(PathAttribute.Origin.INCOMPLETE);
    }

    /** RFC 4271 9.1.2.2 c: a missing MED is the lowest value. */
    private static long med(Path p) {
        return p.attribute(PathAttribute.MultiExitDisc.class).map(PathAttribute.MultiExitDisc::value).orElse(0L);
    }

    private static byte[] address(Path p) {
        return p.source().address() == null ? new byte[0] : p.source().address().getAddress();
    }
}
