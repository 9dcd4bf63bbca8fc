package io.cairn.node.rib;

import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.BgpProtocolException;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.MessageHeader;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.journal.NormalizedUpdate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The interning table of attribute sets (DESIGN.md, "keys, not objects"): sets are found by
 * their normalized octets (hash over the octets, equality on the octets), so a 1,000-prefix
 * UPDATE costs one lookup for its attributes. A set is parsed once, when first seen, and freed
 * (its id reused) when the last path using it goes. Owned by the RIB thread.
 */
final class AttributeSets {

    /** Lookup key: the octets and their hash. */
    private record Octets(byte[] value, int hash) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Octets other && other.hash == hash && Arrays.equals(other.value, value);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private final Map<Octets, AttributeSet> byOctets = new HashMap<>();
    private final List<AttributeSet> byId = new ArrayList<>();
    private final ArrayList<Integer> freeIds = new ArrayList<>();

    /**
     * The id of the set whose normalized octets are {@code key[0, length)} (laid out by
     * {@link UpdateReader#attributeKey}), interned now if new. The caller holds one reference
     * and {@link #release}s it when done; each path using the set {@link #retain}s its own.
     */
    int intern(byte[] key, int length) {
        byte[] octets = Arrays.copyOf(key, length);
        Octets k = new Octets(octets, Arrays.hashCode(octets));
        AttributeSet s = byOctets.get(k);
        if (s == null) {
            int id = freeIds.isEmpty() ? byId.size() : freeIds.remove(freeIds.size() - 1);
            s = new AttributeSet(id, octets, k.hash, nextHopOf(octets), attributesOf(octets));
            if (id == byId.size()) {
                byId.add(s);
            } else {
                byId.set(id, s);
            }
            byOctets.put(k, s);
        }
        s.refs++;
        return s.id;
    }

    /** Interns a set without next hop (Cairn's own routes: each session gets its own), held as above. */
    int internWithoutNextHop(List<PathAttribute> attributes) {
        ByteBuf buf = Unpooled.buffer();
        MessageCodec.encode(new UpdateMessage(List.of(), attributes, List.of()), NormalizedUpdate.FORM, buf);
        byte[] message = new byte[buf.readableBytes()];
        buf.readBytes(message);
        UpdateReader reader = new UpdateReader();
        reader.wrap(message);
        byte[] key = new byte[reader.maxKeyLength()];
        return intern(key, reader.attributeKey(false, key));
    }

    AttributeSet get(int id) {
        return byId.get(id);
    }

    void retain(int id) {
        byId.get(id).refs++;
    }

    void release(int id) {
        AttributeSet s = byId.get(id);
        if (--s.refs == 0) {
            byOctets.remove(new Octets(s.key, s.hash));
            byId.set(id, null);
            freeIds.add(id);
        }
    }

    /** Interned sets alive now. */
    int size() {
        return byOctets.size();
    }

    private static InetAddress nextHopOf(byte[] key) {
        int n = key[0];
        if (n == 0) {
            return null;
        }
        byte[] address = Arrays.copyOfRange(key, 1, 1 + n);
        try {
            // An IPv4-mapped IPv6 next hop must stay IPv6: InetAddress.getByAddress would make it IPv4.
            return n == 16 ? Inet6Address.getByAddress(null, address, -1) : InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 4 or 16 octets
        }
    }

    /**
     * Parses the attribute octets with the wire codec (once per new set): they were validated
     * and normalized on the session's event loop, so a failure here is a bug, not bad input.
     */
    private static List<PathAttribute> attributesOf(byte[] key) {
        int from = 1 + key[0];
        int length = key.length - from;
        ByteBuf frame = Unpooled.buffer(MessageHeader.LENGTH + 4 + length);
        for (int i = 0; i < MessageHeader.MARKER_LENGTH; i++) {
            frame.writeByte(0xFF);
        }
        frame.writeShort(MessageHeader.LENGTH + 4 + length).writeByte(BgpMessage.UPDATE);
        frame.writeShort(0).writeShort(length).writeBytes(key, from, length);
        try {
            return ((UpdateMessage) MessageCodec.decode(frame, NormalizedUpdate.FORM, MalformedUpdateListener.IGNORE)).attributes();
        } catch (BgpProtocolException e) {
            throw new IllegalStateException("normalized attributes do not decode: " + e.getMessage(), e);
        }
    }
}
