package io.cairn.node.bgp.wire;

import io.cairn.node.bgp.wire.UpdateErrors.Approach;

import static io.cairn.node.bgp.wire.PathAttribute.AGGREGATOR;
import static io.cairn.node.bgp.wire.PathAttribute.AS4_AGGREGATOR;
import static io.cairn.node.bgp.wire.PathAttribute.AS4_PATH;
import static io.cairn.node.bgp.wire.PathAttribute.AS_PATH;
import static io.cairn.node.bgp.wire.PathAttribute.ATOMIC_AGGREGATE;
import static io.cairn.node.bgp.wire.PathAttribute.CLUSTER_LIST;
import static io.cairn.node.bgp.wire.PathAttribute.COMMUNITIES;
import static io.cairn.node.bgp.wire.PathAttribute.EXTENDED_COMMUNITIES;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_OPTIONAL;
import static io.cairn.node.bgp.wire.PathAttribute.FLAG_TRANSITIVE;
import static io.cairn.node.bgp.wire.PathAttribute.LARGE_COMMUNITIES;
import static io.cairn.node.bgp.wire.PathAttribute.LOCAL_PREF;
import static io.cairn.node.bgp.wire.PathAttribute.MP_REACH_NLRI;
import static io.cairn.node.bgp.wire.PathAttribute.MP_UNREACH_NLRI;
import static io.cairn.node.bgp.wire.PathAttribute.MULTI_EXIT_DISC;
import static io.cairn.node.bgp.wire.PathAttribute.NEXT_HOP;
import static io.cairn.node.bgp.wire.PathAttribute.ORIGIN;
import static io.cairn.node.bgp.wire.PathAttribute.ORIGINATOR_ID;

/** Per attribute type: its name, the flags it must carry and the RFC 7606 approach to its errors. */
final class AttributeRules {

    private AttributeRules() {
    }

    /**
     * RFC 7606: ATOMIC_AGGREGATE and AGGREGATOR are discarded (3.f, 7.6, 7.7), as are AS4_PATH
     * and AS4_AGGREGATOR (RFC 6793 6); MP_REACH_NLRI and MP_UNREACH_NLRI reset the session
     * (3.j, 5.3, 7.11); all others withdraw the UPDATE's routes (3.c, 3.e, 7.1-7.5, 7.8-7.10,
     * 7.14, and RFC 8092 6 for LARGE_COMMUNITY).
     */
    static Approach approach(int type) {
        return switch (type) {
            case ATOMIC_AGGREGATE, AGGREGATOR, AS4_PATH, AS4_AGGREGATOR -> Approach.ATTRIBUTE_DISCARD;
            case MP_REACH_NLRI, MP_UNREACH_NLRI -> Approach.SESSION_RESET;
            default -> Approach.TREAT_AS_WITHDRAW;
        };
    }

    /** Optional and Transitive bits each known attribute must carry (RFC 4271 5, 4760, 4360, 6793, 8092). */
    static int expectedFlags(int type) {
        return switch (type) {
            case ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF, ATOMIC_AGGREGATE -> FLAG_TRANSITIVE;
            case MULTI_EXIT_DISC, ORIGINATOR_ID, CLUSTER_LIST, MP_REACH_NLRI, MP_UNREACH_NLRI -> FLAG_OPTIONAL;
            default -> FLAG_OPTIONAL | FLAG_TRANSITIVE;
        };
    }

    static boolean isKnown(int type) {
        return (type >= ORIGIN && type <= CLUSTER_LIST) || (type >= MP_REACH_NLRI && type <= AS4_AGGREGATOR)
                || type == LARGE_COMMUNITIES;
    }

    static String name(int type) {
        return switch (type) {
            case ORIGIN -> "ORIGIN";
            case AS_PATH -> "AS_PATH";
            case NEXT_HOP -> "NEXT_HOP";
            case MULTI_EXIT_DISC -> "MULTI_EXIT_DISC";
            case LOCAL_PREF -> "LOCAL_PREF";
            case ATOMIC_AGGREGATE -> "ATOMIC_AGGREGATE";
            case AGGREGATOR -> "AGGREGATOR";
            case COMMUNITIES -> "COMMUNITIES";
            case ORIGINATOR_ID -> "ORIGINATOR_ID";
            case CLUSTER_LIST -> "CLUSTER_LIST";
            case MP_REACH_NLRI -> "MP_REACH_NLRI";
            case MP_UNREACH_NLRI -> "MP_UNREACH_NLRI";
            case EXTENDED_COMMUNITIES -> "EXTENDED_COMMUNITIES";
            case AS4_PATH -> "AS4_PATH";
            case AS4_AGGREGATOR -> "AS4_AGGREGATOR";
            case LARGE_COMMUNITIES -> "LARGE_COMMUNITY";
            default -> "attribute " + type;
        };
    }
}
