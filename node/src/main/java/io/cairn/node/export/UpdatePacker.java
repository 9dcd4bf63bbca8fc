package io.cairn.node.export;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.EncodedUpdate;
import io.cairn.node.bgp.wire.Ipv4UpdateWriter;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.PathAttribute;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.agrona.collections.LongArrayList;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs prefixes that share attributes into as few UPDATEs as fit the negotiated maximum
 * length (4,096 octets, or 65,535 with RFC 8654 extended messages). IPv4 unicast routes are
 * packed from the RIB's prefix keys straight into the messages' octets ({@link #announceIpv4},
 * {@link #withdrawIpv4}), because export runs per prefix and per session and a Prefix and its
 * arrays for each was a large part of it; IPv6 routes, few on a route server, go through
 * {@link Prefix} lists and the MP attributes. Both cut messages at the same points.
 */
public final class UpdatePacker {

    /** Room kept for an MP attribute that grows past 255 octets and needs the extended length flag. */
    private static final int EXTENDED_LENGTH_SLACK = 1;

    private final Negotiated negotiated;
    private final ByteBuf scratch = Unpooled.buffer(4096);
    private final Ipv4UpdateWriter writer;

    public UpdatePacker(Negotiated negotiated) {
        this.negotiated = negotiated;
        this.writer = new Ipv4UpdateWriter(negotiated);
    }

    /**
     * Appends to {@code out} the UPDATEs announcing the IPv4 unicast prefixes of {@code keys}
     * ({@link Prefix#ipv4Key()} form) with {@code attributes} and {@code nextHop}: the messages
     * {@link #announce} makes of the same prefixes, already encoded.
     */
    public void announceIpv4(List<PathAttribute> attributes, Inet4Address nextHop, LongArrayList keys,
                             List<? super EncodedUpdate> out) {
        if (keys.isEmpty()) {
            return;
        }
        List<PathAttribute> base = new ArrayList<>(attributes.size() + 1);
        base.addAll(attributes);
        base.add(new PathAttribute.NextHop(nextHop));
        pack(writer.announceHead(base), keys, out);
    }

    /** Appends to {@code out} the UPDATEs withdrawing the IPv4 unicast prefixes of {@code keys}, as {@link #withdraw} would. */
    public void withdrawIpv4(LongArrayList keys, List<? super EncodedUpdate> out) {
        if (!keys.isEmpty()) {
            pack(null, keys, out);
        }
    }

    /** Cuts where {@link #pack(List, Builder)} cuts: before a prefix that would pass the limit, unless the message is empty. */
    private void pack(byte[] announceHead, LongArrayList keys, List<? super EncodedUpdate> out) {
        start(announceHead);
        int limit = limit();
        int empty = writer.messageLength();
        for (int i = 0, n = keys.size(); i < n; i++) {
            long key = keys.getLong(i);
            int length = writer.messageLength();
            if (length + Ipv4UpdateWriter.octets(key) > limit && length > empty) {
                out.add(writer.finish());
                start(announceHead);
            }
            writer.add(key);
        }
        out.add(writer.finish());
    }

    private void start(byte[] announceHead) {
        if (announceHead == null) {
            writer.startWithdrawal();
        } else {
            writer.startAnnouncement(announceHead);
        }
    }

    private int limit() {
        return negotiated.maxMessageLength(BgpMessage.UPDATE) - EXTENDED_LENGTH_SLACK;
    }

    /** UPDATEs announcing {@code prefixes} (one family) with {@code attributes} and {@code nextHop}. */
    public List<UpdateMessage> announce(AddressFamily family, List<PathAttribute> attributes, InetAddress nextHop,
                                        List<Prefix> prefixes) {
        List<PathAttribute> base = new ArrayList<>(attributes);
        boolean ipv4 = family.equals(AddressFamily.IPV4_UNICAST);
        if (ipv4) {
            base.add(new PathAttribute.NextHop((Inet4Address) nextHop));
        }
        return pack(prefixes, chunk -> {
            if (ipv4) {
                return new UpdateMessage(List.of(), base, chunk);
            }
            List<PathAttribute> withMp = new ArrayList<>(base);
            withMp.add(new PathAttribute.MpReachNlri(family, List.of(nextHop), chunk));
            return new UpdateMessage(List.of(), withMp, List.of());
        });
    }

    /** UPDATEs withdrawing {@code prefixes} of one family. */
    public List<UpdateMessage> withdraw(AddressFamily family, List<Prefix> prefixes) {
        boolean ipv4 = family.equals(AddressFamily.IPV4_UNICAST);
        return pack(prefixes, chunk -> ipv4
                ? new UpdateMessage(chunk, List.of(), List.of())
                : new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreachNlri(family, chunk)), List.of()));
    }

    private interface Builder {
        UpdateMessage build(List<Prefix> chunk);
    }

    private List<UpdateMessage> pack(List<Prefix> prefixes, Builder builder) {
        List<UpdateMessage> out = new ArrayList<>();
        int limit = limit();
        int baseSize = encodedSize(builder.build(List.of()));
        List<Prefix> chunk = new ArrayList<>();
        int size = baseSize;
        for (Prefix p : prefixes) {
            int cost = 1 + p.wireOctets(); // RFC 4271 4.3: length octet + prefix octets
            if (size + cost > limit && !chunk.isEmpty()) {
                out.add(builder.build(chunk));
                chunk = new ArrayList<>();
                size = baseSize;
            }
            chunk.add(p);
            size += cost;
        }
        if (!chunk.isEmpty()) {
            out.add(builder.build(chunk));
        }
        return out;
    }

    private int encodedSize(UpdateMessage m) {
        scratch.clear();
        MessageCodec.encode(m, negotiated, scratch);
        return scratch.readableBytes();
    }
}
