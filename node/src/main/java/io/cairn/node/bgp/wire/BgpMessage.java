package io.cairn.node.bgp.wire;

/** One BGP message (RFC 4271 section 4), decoded. The header is implied by the type. */
public sealed interface BgpMessage
        permits OpenMessage, UpdateMessage, EncodedUpdate, NotificationMessage, KeepaliveMessage, RouteRefreshMessage {

    int OPEN = 1;
    int UPDATE = 2;
    int NOTIFICATION = 3;
    int KEEPALIVE = 4;
    /** RFC 2918. */
    int ROUTE_REFRESH = 5;

    /** The message type octet of the header. */
    int type();

    static String typeName(int type) {
        return switch (type) {
            case OPEN -> "OPEN";
            case UPDATE -> "UPDATE";
            case NOTIFICATION -> "NOTIFICATION";
            case KEEPALIVE -> "KEEPALIVE";
            case ROUTE_REFRESH -> "ROUTE-REFRESH";
            default -> "type " + type;
        };
    }
}
