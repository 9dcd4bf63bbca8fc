package io.cairn.sdn;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * An IPv4 or IPv6 prefix in canonical form (host bits zero), as the SDN sees it. The SDN agent
 * knows no BGP, so it has its own small prefix type; the node converts at the boundary.
 *
 * <p>The address is also kept as two longs, so that ordering and equality (a route table of 100k
 * prefixes is a sorted map, compared and diffed whole at every sync) read two fields instead of
 * copying the address bytes out of the InetAddress each time.
 */
public final class IpPrefix implements Comparable<IpPrefix> {

    private final InetAddress address;
    private final int length;
    private final boolean ipv4;
    /** The address bytes as an unsigned big-endian number: IPv4 in {@code high}, IPv6 across both. */
    private final long high;
    private final long low;

    public IpPrefix(InetAddress address, int length) {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max);
        }
        this.address = masked(address, length);
        this.length = length;
        byte[] b = this.address.getAddress();
        this.ipv4 = b.length == 4;
        ByteBuffer bytes = ByteBuffer.wrap(b);
        this.high = ipv4 ? Integer.toUnsignedLong(bytes.getInt()) : bytes.getLong();
        this.low = ipv4 ? 0 : bytes.getLong();
    }

    public InetAddress address() {
        return address;
    }

    public int length() {
        return length;
    }

    /** Parses "10.1.0.0/16" or "2001:db8::/32"; host bits are cleared. */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a prefix (no /length): " + text);
        }
        String addr = text.substring(0, slash);
        if (!addr.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address: " + addr);
        }
        try {
            InetAddress a = InetAddress.getByName(addr);
            if (addr.contains(":") && a instanceof Inet4Address) { // "::ffff:10.1.0.0" is IPv6 text
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
                a = Inet6Address.getByAddress(null, mapped, -1);
            }
            return new IpPrefix(a, Integer.parseInt(text.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("not a prefix: " + text, e);
        }
    }

    public boolean isIpv4() {
        return ipv4;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }

    /** IPv4 before IPv6, then by address bytes (unsigned), then shorter first. */
    @Override
    public int compareTo(IpPrefix o) {
        if (ipv4 != o.ipv4) {
            return ipv4 ? -1 : 1;
        }
        int c = Long.compareUnsigned(high, o.high);
        if (c == 0) {
            c = Long.compareUnsigned(low, o.low);
        }
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IpPrefix p && p.ipv4 == ipv4 && p.high == high && p.low == low && p.length == length;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high * 31 + low) * 31 + length;
    }

    private static InetAddress masked(InetAddress address, int length) {
        byte[] b = address.getAddress();
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, length - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            // InetAddress.getByAddress would turn an IPv4-mapped IPv6 address (::ffff:a.b.c.d) into IPv4.
            return b.length == 16 ? Inet6Address.getByAddress(null, b, -1) : InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
