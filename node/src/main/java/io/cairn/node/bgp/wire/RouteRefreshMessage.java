package io.cairn.node.bgp.wire;

/**
 * ROUTE-REFRESH (RFC 2918 section 3), with the message subtype of enhanced route refresh
 * (RFC 7313 section 3.2) in the octet RFC 2918 reserved.
 */
public record RouteRefreshMessage(AddressFamily family, int subtype) implements BgpMessage {

    public static final int NORMAL = 0;
    /** Beginning of Route Refresh, RFC 7313. */
    public static final int BEGIN = 1;
    /** End of Route Refresh, RFC 7313. */
    public static final int END = 2;

    public RouteRefreshMessage {
        if (subtype < 0 || subtype > 255) {
            throw new IllegalArgumentException("subtype out of range: " + subtype);
        }
    }

    @Override
    public int type() {
        return ROUTE_REFRESH;
    }
}
