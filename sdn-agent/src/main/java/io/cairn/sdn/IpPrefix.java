package io.cairn.sdn;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix in canonical form (host bits zero), as the SDN sees it. The SDN agent
 * knows no BGP, so it has its own small prefix type; the node converts at the boundary.
 */
public record IpPrefix(InetAddress address, int length) implements Comparable<IpPrefix> {

    public IpPrefix {
        int max = address instanceof Inet4Address ? 32 : 128;
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max);
        }
        address = masked(address, length);
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
        return address instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + length;
    }

    /** IPv4 before IPv6, then by address bytes, then shorter first. */
    @Override
    public int compareTo(IpPrefix o) {
        byte[] a = address.getAddress();
        byte[] b = o.address.getAddress();
        if (a.length != b.length) {
            return Integer.compare(a.length, b.length);
        }
        int c = Arrays.compareUnsigned(a, b);
        return c != 0 ? c : Integer.compare(length, o.length);
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
