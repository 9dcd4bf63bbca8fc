package io.cairn.node.journal;

/** Journal record types of the node (the journal's own snapshot markers are negative). */
public final class BgpRecordType {
    public static final short PEER_UP = 1;
    public static final short UPDATE = 2;
    public static final short PEER_DOWN = 3;
    public static final short END_OF_RIB = 4;
    /** A snapshot's Adj-RIB-In path, between the journal's SNAPSHOT_BEGIN and SNAPSHOT_END. */
    public static final short ADJ_RIB_IN = 5;

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
            case ADJ_RIB_IN:
                return "ADJ_RIB_IN";
            default:
                return "type " + type;
        }
    }
}
