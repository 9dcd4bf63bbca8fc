package io.cairn.node.bgp.wire;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix with its host bits cleared. Immutable value: the wire codec and the
 * config use it; the RIB works on packed keys instead (see {@link #ipv4Key()}).
 */
public final class Prefix implements Comparable<Prefix> {

    private final byte[] address;
    private final int length;

    private Prefix(byte[] address, int length) {
        this.address = address;
        this.length = length;
    }

    /**
     * A prefix from an address of 4 or 16 octets and a length. Host bits are cleared, because
     * RFC 4271 4.3 lets trailing bits be anything and two spellings of one prefix must be equal.
     */
    public static Prefix of(byte[] address, int length) {
        if (address.length != 4 && address.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 octets, not " + address.length);
        }
        if (length < 0 || length > address.length * 8) {
            throw new IllegalArgumentException("prefix length " + length + " out of range for "
                    + (address.length == 4 ? "IPv4" : "IPv6"));
        }
        byte[] a = address.clone();
        clearHostBits(a, length);
        return new Prefix(a, length);
    }

    /** Parses "10.0.0.0/8" or "2001:db8::/32"; host bits set in the text are an error. */
    public static Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a prefix (no '/length')");
        }
        String addr = text.substring(0, slash);
        if (addr.isEmpty() || !(addr.indexOf(':') >= 0 || addr.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
            // InetAddress.getByName would otherwise try DNS for a name.
            throw new IllegalArgumentException("'" + text + "' is not a prefix (bad address)");
        }
        byte[] bytes;
        int len;
        try {
            bytes = InetAddress.getByName(addr).getAddress();
            len = Integer.parseInt(text.substring(slash + 1));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a prefix", e);
        }
        Prefix p = of(bytes, len);
        if (!Arrays.equals(p.address, bytes)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean " + p + "?");
        }
        return p;
    }

    private static void clearHostBits(byte[] a, int length) {
        for (int i = 0; i < a.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, length - i * 8));
            a[i] &= (byte) (0xFF << (8 - bitsHere));
        }
    }

    public boolean isIpv4() {
        return address.length == 4;
    }

    public AddressFamily family() {
        return AddressFamily.unicastFor(address.length);
    }

    public int length() {
        return length;
    }

    /** A copy of the address octets. */
    public byte[] address() {
        return address.clone();
    }

    /** Number of address octets that carry the prefix on the wire (RFC 4271 4.3). */
    public int wireOctets() {
        return (length + 7) >>> 3;
    }

    /** The address octet at index {@code i}; avoids a copy on encode. */
    public byte octet(int i) {
        return address[i];
    }

    /** IPv4 only: address in the high 32 bits of the low 40, length in the low 8. */
    public long ipv4Key() {
        if (!isIpv4()) {
            throw new IllegalStateException("not IPv4: " + this);
        }
        long a = ((address[0] & 0xFFL) << 24) | ((address[1] & 0xFFL) << 16)
                | ((address[2] & 0xFFL) << 8) | (address[3] & 0xFFL);
        return (a << 8) | length;
    }

    /** True when {@code other} is this prefix or a more specific one inside it. */
    public boolean covers(Prefix other) {
        if (other.address.length != address.length || other.length < length) {
            return false;
        }
        byte[] masked = other.address.clone();
        clearHostBits(masked, length);
        return Arrays.equals(masked, address);
    }

    @Override
    public int compareTo(Prefix o) {
        if (address.length != o.address.length) {
            return Integer.compare(address.length, o.address.length);
        }
        int c = Arrays.compareUnsigned(address, o.address);
        return c != 0 ? c : Integer.compare(length, o.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prefix p && p.length == length && Arrays.equals(p.address, address);
    }

    /**
     * Mixed, because Arrays.hashCode of an address collides for neighbouring /24s (31 * b + c
     * repeats), which turned hash maps of prefixes into trees under load.
     */
    @Override
    public int hashCode() {
        long h = length;
        for (byte b : address) {
            h = (h << 8 | (b & 0xFF)) * 0x9E3779B97F4A7C15L;
        }
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public String toString() {
        try {
            String a = InetAddress.getByAddress(address).getHostAddress();
            if (!isIpv4()) {
                a = Ipv6Text.compress(a);
            }
            return a + "/" + length;
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 or 16 octets always form an address
        }
    }
}
