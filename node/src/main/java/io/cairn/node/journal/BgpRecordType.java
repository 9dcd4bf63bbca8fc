package io.cairn.node.journal;

/**
 * Journal record types of the node (the journal's own snapshot markers are negative). A snapshot
 * holds no type of its own: between SNAPSHOT_BEGIN and SNAPSHOT_END it is the shortest history of
 * these records that rebuilds every Adj-RIB-In (see {@code rib.RibSnapshot}).
 */
public final class BgpRecordType {
    public static final short PEER_UP = 1;
    public static final short UPDATE = 2;
    public static final short PEER_DOWN = 3;
    public static final short END_OF_RIB = 4;
    public static final short ROUTE_REFRESH = 5;
    public static final short STALE_EXPIRED = 6;

    private BgpRecordType() {
    }

    public static String name(short type) {
        switch (type) {
            case PEER_UP:
                return "PEER_UP";
            case UPDATE:
                return "UPDATE";
            case PEER_DOWN:
                return "PEER_DOWN";
            case END_OF_RIB:
                return "END_OF_RIB";
            case ROUTE_REFRESH:
                return "ROUTE_REFRESH";
            case STALE_EXPIRED:
                return "STALE_EXPIRED";
            default:
                return "type " + type;
        }
    }
}
