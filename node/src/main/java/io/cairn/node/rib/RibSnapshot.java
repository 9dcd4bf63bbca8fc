package io.cairn.node.rib;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.MessageHeader;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.journal.BgpRecord;
import io.cairn.node.journal.SnapshotSource;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.LongArrayList;

/**
 * Every Adj-RIB-In at one instant, as a journal snapshot: captured on the RIB thread (NLRI octets
 * and attribute-set octets, nothing the RIB goes on changing), written on the journal writer's
 * thread as the shortest history that rebuilds it from an empty RIB. Per peer: its PEER_UP; the
 * paths kept stale, then a KEEP_STALE PEER_DOWN, and PEER_UP again if the session is up; then its
 * other paths. Paths go as normalized UPDATEs, one attribute set per message and as many prefixes
 * as fit in 65,535 octets (RFC 8654), so replay runs the RIB's ordinary UPDATE path.
 */
final class RibSnapshot implements SnapshotSource {

    private static final int MAX_MESSAGE = 0xFFFF;
    private static final int NEXT_HOP_LENGTH = 7;

    /** One peer's share. */
    static final class PeerPart {
        final BgpRecord.PeerUp up;
        final boolean sessionUp;
        final Section stale = new Section();
        final Section fresh = new Section();

        PeerPart(BgpRecord.PeerUp up, boolean sessionUp) {
            this.up = up;
            this.sessionUp = sessionUp;
        }
    }

    /** Paths of one peer, stale or not: each prefix's NLRI octets, with its attribute set's id. */
    static final class Section {
        final ByteBuf[] nlri = {Unpooled.buffer(0), Unpooled.buffer(0)};
        /** Per family: set id in the high half, offset into {@link #nlri} in the low half: sorting groups by set. */
        final LongArrayList[] entries = {new LongArrayList(), new LongArrayList()};

        void add(long key, Prefix v6, int setId) {
            int f = v6 == null ? 0 : 1;
            ByteBuf out = nlri[f];
            entries[f].addLong((long) setId << 32 | out.writerIndex());
            if (v6 == null) {
                int length = (int) (key & 0xFF);
                long address = key >>> 8;
                out.writeByte(length);
                for (int i = 0; i < (length + 7) >>> 3; i++) {
                    out.writeByte((int) (address >>> (24 - 8 * i)));
                }
            } else {
                out.writeByte(v6.length());
                for (int i = 0; i < v6.wireOctets(); i++) {
                    out.writeByte(v6.octet(i));
                }
            }
        }

        boolean isEmpty() {
            return entries[0].isEmpty() && entries[1].isEmpty();
        }
    }

    private final List<PeerPart> parts = new ArrayList<>();
    /** Attribute-set octets by id, as {@link AttributeSet#key}: next hop length and address, then the attributes. */
    private final Int2ObjectHashMap<byte[]> sets = new Int2ObjectHashMap<>();
    private long paths;

    PeerPart add(BgpRecord.PeerUp up, boolean sessionUp) {
        PeerPart part = new PeerPart(up, sessionUp);
        parts.add(part);
        return part;
    }

    /** Records a path of {@code part}: {@code v6} is the prefix when it is IPv6, else {@code key} holds the IPv4 one. */
    void path(PeerPart part, boolean stale, long key, Prefix v6, AttributeSet set) {
        sets.putIfAbsent(set.id, set.key);
        (stale ? part.stale : part.fresh).add(key, v6, set.id);
        paths++;
    }

    @Override
    public long paths() {
        return paths;
    }

    @Override
    public boolean writeTo(Predicate<BgpRecord> out) {
        for (PeerPart part : parts) {
            if (!out.test(part.up)) {
                return false;
            }
            if (!part.stale.isEmpty()) {
                if (!write(part, part.stale, out)
                        || !out.test(new BgpRecord.PeerDown(part.up.peer(), "stale when the snapshot was taken",
                                BgpRecord.DownKind.KEEP_STALE))
                        || part.sessionUp && !out.test(part.up)) {
                    return false;
                }
            }
            if (!write(part, part.fresh, out)) {
                return false;
            }
        }
        return true;
    }

    private boolean write(PeerPart part, Section section, Predicate<BgpRecord> out) {
        for (int f = 0; f < 2; f++) {
            AddressFamily family = f == 0 ? AddressFamily.IPV4_UNICAST : AddressFamily.IPV6_UNICAST;
            long[] entries = section.entries[f].toLongArray();
            Arrays.sort(entries);
            ByteBuf nlri = section.nlri[f];
            for (int at = 0; at < entries.length; ) {
                int setId = (int) (entries[at] >>> 32);
                byte[] set = sets.get(setId);
                int room = MAX_MESSAGE - fixedLength(set, family);
                ByteBuf message = start(set, family);
                int nlriFrom = message.writerIndex();
                while (at < entries.length && (int) (entries[at] >>> 32) == setId) {
                    int offset = (int) entries[at];
                    int length = 1 + ((nlri.getUnsignedByte(offset) + 7) >>> 3);
                    if (message.writerIndex() - nlriFrom + length > room && message.writerIndex() > nlriFrom) {
                        break;
                    }
                    message.writeBytes(nlri, offset, length);
                    at++;
                }
                if (!out.test(new BgpRecord.Update(part.up.peer(), finish(message, set, family, nlriFrom)))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** IPv4 prefixes with an IPv4 next hop go in the classic NLRI field; anything else in MP_REACH_NLRI (RFC 4760). */
    private static boolean classic(byte[] set, AddressFamily family) {
        return family.equals(AddressFamily.IPV4_UNICAST) && set[0] == 4;
    }

    /** Octets of a message for {@code set} before its NLRI. */
    private static int fixedLength(byte[] set, AddressFamily family) {
        int attributes = set.length - 1 - set[0];
        int reach = classic(set, family) ? NEXT_HOP_LENGTH : 4 + 2 + 1 + 1 + set[0] + 1;
        return MessageHeader.LENGTH + 2 + 2 + attributes + reach;
    }

    private static ByteBuf start(byte[] set, AddressFamily family) {
        int hop = set[0];
        ByteBuf m = Unpooled.buffer(fixedLength(set, family) + 64);
        for (int i = 0; i < MessageHeader.MARKER_LENGTH; i++) {
            m.writeByte(0xFF);
        }
        m.writeShort(0).writeByte(BgpMessage.UPDATE); // length set by finish
        m.writeShort(0); // no withdrawn routes
        m.writeShort(0); // path attribute length set by finish
        m.writeBytes(set, 1 + hop, set.length - 1 - hop);
        if (classic(set, family)) {
            m.writeByte(PathAttribute.FLAG_TRANSITIVE).writeByte(PathAttribute.NEXT_HOP).writeByte(4).writeBytes(set, 1, 4);
        } else {
            m.writeByte(PathAttribute.FLAG_OPTIONAL | PathAttribute.FLAG_EXTENDED_LENGTH)
                    .writeByte(PathAttribute.MP_REACH_NLRI).writeShort(0) // length set by finish
                    .writeShort(family.afi()).writeByte(family.safi())
                    .writeByte(hop).writeBytes(set, 1, hop)
                    .writeByte(0); // reserved (RFC 4760 3)
        }
        return m;
    }

    private static byte[] finish(ByteBuf m, byte[] set, AddressFamily family, int nlriFrom) {
        int attributesFrom = MessageHeader.LENGTH + 4;
        int end = m.writerIndex();
        m.setShort(MessageHeader.MARKER_LENGTH, end);
        if (classic(set, family)) {
            m.setShort(attributesFrom - 2, nlriFrom - attributesFrom);
        } else {
            int reachAt = attributesFrom + set.length - 1 - set[0];
            m.setShort(reachAt + 2, end - (reachAt + 4));
            m.setShort(attributesFrom - 2, end - attributesFrom);
        }
        byte[] bytes = new byte[end];
        m.getBytes(0, bytes);
        return bytes;
    }
}
