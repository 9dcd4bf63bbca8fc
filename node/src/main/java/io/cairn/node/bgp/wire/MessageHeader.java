package io.cairn.node.bgp.wire;

/** The 19-octet message header (RFC 4271 4.1). */
public final class MessageHeader {

    private MessageHeader() {
    }

    public static final int MARKER_LENGTH = 16;
    public static final int LENGTH = 19;
    public static final int MAX_LENGTH = 4096;
    /** RFC 8654. */
    public static final int MAX_EXTENDED_LENGTH = 65535;

    /** Smallest valid length per type (RFC 4271 6.1, RFC 2918 3): OPEN 29, UPDATE 23, NOTIFICATION 21, KEEPALIVE 19, ROUTE-REFRESH 23. */
    public static int minLength(int type) {
        return switch (type) {
            case BgpMessage.OPEN -> 29;
            case BgpMessage.UPDATE -> 23;
            case BgpMessage.NOTIFICATION -> 21;
            case BgpMessage.KEEPALIVE -> 19;
            case BgpMessage.ROUTE_REFRESH -> 23;
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }
}
