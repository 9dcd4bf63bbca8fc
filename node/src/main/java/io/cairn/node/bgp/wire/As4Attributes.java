package io.cairn.node.bgp.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.cairn.node.bgp.wire.PathAttribute.AsPath;
import io.cairn.node.bgp.wire.PathAttribute.Segment;

/**
 * AS4_PATH and AS4_AGGREGATOR towards and from peers without 4-octet AS numbers (RFC 6793).
 * Cairn keeps 4-octet AS paths only; these attributes exist on the wire alone.
 */
final class As4Attributes {

    private As4Attributes() {
    }

    /**
     * RFC 6793 4.2.2: an AS4_PATH is sent only when some ASN does not fit 2 octets, and never
     * carries confederation segments. Returns the segments to send, or an empty list for none.
     */
    static List<Segment> as4PathFor(AsPath path) {
        boolean needed = false;
        List<Segment> as4 = new ArrayList<>(path.segments().size());
        for (Segment s : path.segments()) {
            for (int i = 0; i < s.size() && !needed; i++) {
                needed = !AsPathCodec.isMappable(s.asn(i));
            }
            if (s.type() == Segment.AS_SET || s.type() == Segment.AS_SEQUENCE) {
                as4.add(s);
            }
        }
        return needed ? as4 : List.of();
    }

    /** RFC 6793 6: confederation segments in an AS4_PATH are dropped, the rest is kept. */
    static AsPath withoutConfederationSegments(AsPath as4Path) {
        List<Segment> kept = new ArrayList<>(as4Path.segments().size());
        for (Segment s : as4Path.segments()) {
            if (s.type() == Segment.AS_SET || s.type() == Segment.AS_SEQUENCE) {
                kept.add(s);
            }
        }
        return new AsPath(kept);
    }

    /**
     * RFC 6793 4.2.3: the AS path of a route from a 2-octet peer. When the AS_PATH counts fewer
     * ASNs than the AS4_PATH, the AS4_PATH is ignored (returns null). Otherwise the leading
     * part of the AS_PATH that the AS4_PATH lacks is put in front of the AS4_PATH, with any
     * confederation segment that leads or adjoins a prepended segment. Counting is that of
     * the decision process (RFC 4271 9.1.2.2, RFC 5065 5.3): a set is 1, confed segments 0.
     */
    static AsPath merge(AsPath asPath, AsPath as4Path) {
        int missing = asPath.pathLength() - as4Path.pathLength();
        if (missing < 0) {
            return null;
        }
        List<Segment> merged = new ArrayList<>(asPath.segments().size() + as4Path.segments().size());
        // Walking from the front, every segment reached leads or adjoins a prepended one, so
        // confederation segments (which count 0) are always taken; the walk stops at the
        // first ordinary segment that is not needed.
        for (Segment s : asPath.segments()) {
            if (s.type() == Segment.AS_CONFED_SEQUENCE || s.type() == Segment.AS_CONFED_SET) {
                merged.add(s);
            } else if (missing == 0) {
                break;
            } else if (s.type() == Segment.AS_SET) {
                merged.add(s);
                missing--;
            } else if (s.size() <= missing) {
                merged.add(s);
                missing -= s.size();
            } else {
                merged.add(new Segment(Segment.AS_SEQUENCE, Arrays.copyOf(s.asns(), missing)));
                missing = 0;
            }
        }
        List<Segment> tail = as4Path.segments();
        int last = merged.size() - 1;
        if (last >= 0 && !tail.isEmpty() && merged.get(last).type() == Segment.AS_SEQUENCE
                && tail.get(0).type() == Segment.AS_SEQUENCE
                && merged.get(last).size() + tail.get(0).size() <= 255) {
            // One sequence split between the two attributes is one sequence again.
            merged.set(last, concat(merged.get(last), tail.get(0)));
            tail = tail.subList(1, tail.size());
        }
        merged.addAll(tail);
        return new AsPath(merged);
    }

    private static Segment concat(Segment a, Segment b) {
        long[] asns = Arrays.copyOf(a.asns(), a.size() + b.size());
        System.arraycopy(b.asns(), 0, asns, a.size(), b.size());
        return new Segment(Segment.AS_SEQUENCE, asns);
    }
}
