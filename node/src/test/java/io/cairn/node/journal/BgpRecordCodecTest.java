package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.bgp.wire.AddPathStripper;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.Prefix;
import io.cairn.node.bgp.wire.UpdateCorpus;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.cairn.node.bgp.wire.Wire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** Every BGP journal record survives encode and decode, with real OPENs and the shared UPDATE corpus. */
class BgpRecordCodecTest {
    static final InetAddress PEER = address("10.1.1.4");
    static final OpenMessage LOCAL = OpenMessage.of(65515, 90, 0x0A010004L, List.of(
            new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
            new Capability.Multiprotocol(AddressFamily.IPV6_UNICAST),
            new Capability.FourOctetAs(65515), new Capability.ExtendedMessage()));
    static final OpenMessage REMOTE = OpenMessage.of(4_200_000_001L, 90, 0x0A010104L, List.of(
            new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST),
            new Capability.FourOctetAs(4_200_000_001L)));

    @Test
    void peerUpKeepsBothOpensAndWhatTheyNegotiated() throws Exception {
        BgpRecord.PeerUp up = new BgpRecord.PeerUp(PEER, "sdwan", wire(LOCAL), wire(REMOTE));
        BgpRecord.PeerUp back = (BgpRecord.PeerUp) roundTrip(up);
        assertEquals(PEER, back.peer());
        assertEquals("sdwan", back.name());
        assertEquals(LOCAL, Wire.decode(back.localOpen(), Negotiated.DEFAULT));
        assertEquals(REMOTE, Wire.decode(back.remoteOpen(), Negotiated.DEFAULT));
        Negotiated journal = NormalizedUpdate.negotiated(
                (OpenMessage) Wire.decode(back.localOpen(), Negotiated.DEFAULT),
                (OpenMessage) Wire.decode(back.remoteOpen(), Negotiated.DEFAULT));
        assertEquals(new Negotiated(true, true, true, java.util.Set.of(AddressFamily.IPV4_UNICAST)), journal);
    }

    @Test
    void everyCorpusUpdateSurvivesTheJournalInItsNormalForm() throws Exception {
        Negotiated journal = new Negotiated(true, true, false, Wire.UNICAST);
        int checked = 0;
        for (UpdateCorpus c : UpdateCorpus.load()) {
            UpdateMessage learned = learned(c);
            byte[] normalized = NormalizedUpdate.encode(learned, journal);
            BgpRecord.Update back = (BgpRecord.Update) roundTrip(new BgpRecord.Update(PEER, normalized));
            assertArrayEquals(normalized, back.message(), c.toString());
            assertEquals(learned, NormalizedUpdate.decode(back.message(), journal), c.toString());
            checked++;
        }
        assertEquals(152, checked);
    }

    @Test
    void snapshotEntriesRebuildTheirPath() throws Exception {
        Negotiated journal = new Negotiated(true, true, false, Wire.UNICAST);
        int entries = 0;
        for (UpdateCorpus c : UpdateCorpus.load()) {
            UpdateMessage learned = learned(c);
            byte[] attributes = pathAttributeField(NormalizedUpdate.encode(learned, journal));
            for (Prefix prefix : learned.nlri()) {
                BgpRecord.AdjRibInEntry entry = (BgpRecord.AdjRibInEntry) roundTrip(
                        new BgpRecord.AdjRibInEntry(PEER, prefix.family(), nlri(prefix), attributes));
                assertEquals(AddressFamily.IPV4_UNICAST, entry.family());
                UpdateMessage rebuilt = (UpdateMessage) Wire.decode(Wire.update(entry.attributes(), entry.prefix()), journal);
                assertEquals(List.of(prefix), rebuilt.nlri(), c.toString());
                assertEquals(learned.attributes(), rebuilt.attributes(), c.toString());
                entries++;
            }
        }
        assertTrue(entries > 100, "corpus gave " + entries + " IPv4 paths");
    }

    @Test
    void peerDownAndEndOfRibRoundTripForAnIpv6Peer() {
        InetAddress v6 = address("fd00::1:4");
        BgpRecord.PeerDown down = (BgpRecord.PeerDown) roundTrip(new BgpRecord.PeerDown(v6, "hold timer expired"));
        assertEquals(new BgpRecord.PeerDown(v6, "hold timer expired"), down);
        BgpRecord.EndOfRib eor = (BgpRecord.EndOfRib) roundTrip(new BgpRecord.EndOfRib(v6, AddressFamily.IPV6_UNICAST));
        assertEquals(new BgpRecord.EndOfRib(v6, AddressFamily.IPV6_UNICAST), eor);
    }

    @Test
    void malformedPayloadsAreClearErrors() {
        byte[] good = BgpRecordCodec.encode(new BgpRecord.PeerDown(PEER, "cease"));
        assertMalformed(BgpRecordType.PEER_DOWN, Arrays.copyOf(good, good.length - 1), "PEER_DOWN", "truncated");
        assertMalformed(BgpRecordType.PEER_DOWN, Arrays.copyOf(good, good.length + 1), "PEER_DOWN", "1 octets left over");
        byte[] newer = good.clone();
        newer[0] = 2;
        assertMalformed(BgpRecordType.PEER_DOWN, newer, "PEER_DOWN", "layout version 2");
        byte[] badAddress = good.clone();
        badAddress[1] = 5;
        assertMalformed(BgpRecordType.PEER_DOWN, badAddress, "PEER_DOWN", "peer address of 5 octets");
        assertMalformed((short) 99, good, "type 99", "not a BGP record type");
    }

    private static void assertMalformed(short type, byte[] payload, String... words) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BgpRecordCodec.decode(type, Unpooled.wrappedBuffer(payload)));
        for (String word : words) {
            assertTrue(e.getMessage().contains(word), e.getMessage());
        }
    }

    /** Through the encoder, then back from an offset inside a larger buffer, as a tailer hands it over. */
    static BgpRecord roundTrip(BgpRecord record) {
        byte[] payload = BgpRecordCodec.encode(record);
        byte[] framed = new byte[payload.length + 7];
        System.arraycopy(payload, 0, framed, 3, payload.length);
        return BgpRecordCodec.decode(record.type(), new UnsafeBuffer(framed), 3, payload.length);
    }

    static byte[] wire(BgpMessage message) {
        ByteBuf out = Unpooled.buffer();
        MessageCodec.encode(message, Negotiated.DEFAULT, out);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    /**
     * A corpus UPDATE as a session hands it over: decoded with RFC 7606 applied (two of them are
     * treat-as-withdraw), Path Identifiers stripped from the ADD-PATH ones (Cairn refuses ADD-PATH).
     */
    private static UpdateMessage learned(UpdateCorpus c) throws Exception {
        byte[] message = c.has("addpath") ? AddPathStripper.strip(c.message()) : c.message();
        Negotiated session = c.has("as2") ? Wire.INTERNAL_AS2 : Wire.INTERNAL_AS4;
        return (UpdateMessage) Wire.decode(message, session, (action, attribute, reason) -> { });
    }

    /** The path-attribute field of an UPDATE (RFC 4271 4.3). */
    private static byte[] pathAttributeField(byte[] update) {
        ByteBuf in = Unpooled.wrappedBuffer(update).skipBytes(19);
        in.skipBytes(in.readUnsignedShort());
        byte[] attributes = new byte[in.readUnsignedShort()];
        in.readBytes(attributes);
        return attributes;
    }

    /** A prefix in NLRI encoding: length in bits, then the significant octets (RFC 4271 4.3). */
    private static byte[] nlri(Prefix prefix) {
        byte[] out = new byte[1 + prefix.wireOctets()];
        out[0] = (byte) prefix.length();
        for (int i = 0; i < prefix.wireOctets(); i++) {
            out[1 + i] = prefix.octet(i);
        }
        return out;
    }

    static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
