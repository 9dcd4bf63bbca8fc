package io.cairn.node.rib;

import io.cairn.node.bgp.wire.Prefix;

import java.nio.charset.StandardCharsets;

/**
 * An order-independent fingerprint of the RIB, cheap enough to take of a million paths where a
 * full dump would not fit a small heap: the Adj-RIB-Ins of this node's peers as every (peer,
 * prefix, attributes with next hop), the Loc-RIB as every (prefix, best path's NVA and attributes,
 * distinct ECMP next hops best first). Each element is hashed on its own and the hashes are summed, so the order in which the
 * RIB's maps are walked does not matter; two RIBs with equal digests hold the same routes unless
 * 64-bit hashes collide. Content only: whether a path is stale is not part of it.
 *
 * @param adjRibInPaths  paths in this node's peers' Adj-RIB-Ins (Cairn's own routes and other
 *                       members' sessions not counted)
 * @param locRibPrefixes prefixes in the Loc-RIB, Cairn's own included
 */
public record RibDigest(long adjRibInPaths, long adjRibInHash, long locRibPrefixes, long locRibHash) {

    /** Sums the elements of one digest; fed on the RIB thread. */
    static final class Builder {
        private long adjRibInPaths;
        private long adjRibInHash;
        private long locRibPrefixes;
        private long locRibHash;

        void adjRibIn(long peer, long prefix, long attributes) {
            adjRibInPaths++;
            adjRibInHash += combine(combine(peer, prefix), attributes);
        }

        void locRib(long prefix, long best, long nextHops) {
            locRibPrefixes++;
            locRibHash += combine(combine(prefix, best), nextHops);
        }

        RibDigest build() {
            return new RibDigest(adjRibInPaths, adjRibInHash, locRibPrefixes, locRibHash);
        }
    }

    /** FNV-1a over the octets, then mixed, so that similar inputs spread over all 64 bits. */
    static long of(byte[] octets) {
        long h = 0xcbf29ce484222325L;
        for (byte b : octets) {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return mix(h);
    }

    static long of(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8));
    }

    static long of(Prefix prefix) {
        return combine(of(prefix.address()), prefix.length());
    }

    /** Order-dependent: (a, b) and (b, a) differ. */
    static long combine(long h, long x) {
        return mix(h * 0x9E3779B97F4A7C15L + x);
    }

    /** The SplitMix64 finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
