package io.cairn.node.bgp.wire;

/**
 * An AFI/SAFI pair (RFC 4760 section 3). Only the unicast families are routed by Cairn; the
 * others are still representable so capabilities and MP attributes for them decode cleanly.
 */
public record AddressFamily(int afi, int safi) {

    public static final int AFI_IPV4 = 1;
    public static final int AFI_IPV6 = 2;
    public static final int SAFI_UNICAST = 1;

    public static final AddressFamily IPV4_UNICAST = new AddressFamily(AFI_IPV4, SAFI_UNICAST);
    public static final AddressFamily IPV6_UNICAST = new AddressFamily(AFI_IPV6, SAFI_UNICAST);

    public AddressFamily {
        if (afi < 0 || afi > 0xFFFF || safi < 0 || safi > 0xFF) {
            throw new IllegalArgumentException("AFI/SAFI out of range: " + afi + "/" + safi);
        }
    }

    /** The family of an address of {@code octets} length: 4 is IPv4, 16 is IPv6. */
    public static AddressFamily unicastFor(int octets) {
        return octets == 4 ? IPV4_UNICAST : IPV6_UNICAST;
    }

    /** Length in octets of an address of this family's AFI, or -1 when Cairn does not route it. */
    public int addressLength() {
        return afi == AFI_IPV4 ? 4 : afi == AFI_IPV6 ? 16 : -1;
    }

    public boolean isUnicastIp() {
        return safi == SAFI_UNICAST && (afi == AFI_IPV4 || afi == AFI_IPV6);
    }

    @Override
    public String toString() {
        if (this.equals(IPV4_UNICAST)) {
            return "ipv4-unicast";
        }
        if (this.equals(IPV6_UNICAST)) {
            return "ipv6-unicast";
        }
        return "afi " + afi + "/safi " + safi;
    }
}
