package io.cairn.node.rib;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.Prefix;

import org.agrona.collections.Hashing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Prefixes as the RIB keys them: one {@code long} each, so the RIB's maps hold no object per
 * prefix. An IPv4 prefix is its address shifted left by 8 with the length in the low 8 bits (the
 * key orders like the prefix and is computed straight from the wire octets). An IPv6 prefix does
 * not fit a long with its length, so it is interned: the key is a tag bit and an index into a
 * table of the IPv6 prefixes seen. IPv6 keys are never reused: an IPv6 route server holds few.
 * Owned by the RIB thread.
 */
final class PrefixKeys {

    private static final long IPV6_TAG = 1L << 62;

    private final Map<Prefix, Long> ipv6Keys = new HashMap<>();
    private final List<Prefix> ipv6Prefixes = new ArrayList<>();

    /** The key of an IPv4 prefix given as the (masked) address and the length. */
    static long ipv4(long address, int length) {
        return address << 8 | length;
    }

    /**
     * Where {@link PrefixTable} and {@link PrefixSet} place a key: the low four bits are the
     * prefix's place among the 16 neighbours of its length it shares a block with (the /20 of a
     * /24), the bits above a hash of the block. Tables arrive and are dumped in prefix order, so
     * an UPDATE's prefixes fill a few runs of neighbouring slots rather than one random slot each.
     * IPv6 keys are numbered as first seen, so those that arrive together are neighbours too.
     */
    static int slotHash(long key) {
        long index;
        long block;
        if (isIpv4(key)) {
            int length = (int) (key & 0xFF);
            index = (key >>> 8) >>> (32 - length); // the prefix's number among those of its length
            block = (index >>> 4) << 8 | length;
        } else {
            index = key;
            block = key >>> 4;
        }
        return Hashing.hash(block) << 4 | (int) (index & 0xF);
    }

    static boolean isIpv4(long key) {
        return (key & IPV6_TAG) == 0;
    }

    static AddressFamily family(long key) {
        return isIpv4(key) ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
    }

    long key(Prefix p) {
        if (p.isIpv4()) {
            return p.ipv4Key();
        }
        Long k = ipv6Keys.get(p);
        if (k == null) {
            k = IPV6_TAG | ipv6Prefixes.size();
            ipv6Prefixes.add(p);
            ipv6Keys.put(p, k);
        }
        return k;
    }

    Prefix prefix(long key) {
        if (!isIpv4(key)) {
            return ipv6Prefixes.get((int) (key & ~IPV6_TAG));
        }
        long a = key >>> 8;
        return Prefix.of(new byte[] {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a}, (int) (key & 0xFF));
    }

    /** True when {@code inner} is {@code outer} or a more specific prefix inside it. */
    boolean covers(long outer, long inner) {
        if (isIpv4(outer) != isIpv4(inner)) {
            return false;
        }
        if (!isIpv4(outer)) {
            return prefix(outer).covers(prefix(inner));
        }
        int length = (int) (outer & 0xFF);
        if ((inner & 0xFF) < length) {
            return false;
        }
        int shift = 32 - length;
        return (outer >>> 8) >>> shift == (inner >>> 8) >>> shift;
    }
}
