package io.cairn.node.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.node.bgp.wire.AddPathStripper;
import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
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
    void peerUpKeepsBothOpensAndTheLocalAddress() throws Exception {
        InetAddress local = address("10.1.0.4");
        BgpRecord.PeerUp back = (BgpRecord.PeerUp) roundTrip(new BgpRecord.PeerUp(PEER, "sdwan", wire(LOCAL), wire(REMOTE), local));
        assertEquals(PEER, back.peer());
        assertEquals("sdwan", back.name());
        assertEquals(local, back.localAddress());
        assertEquals(LOCAL, Wire.decode(back.localOpen(), Negotiated.DEFAULT));
        assertEquals(REMOTE, Wire.decode(back.remoteOpen(), Negotiated.DEFAULT));
        BgpRecord.PeerUp unknownLocal = (BgpRecord.PeerUp) roundTrip(new BgpRecord.PeerUp(PEER, "sdwan", wire(LOCAL), wire(REMOTE), null));
        assertEquals(null, unknownLocal.localAddress());
    }

    @Test
    void everyCorpusUpdateSurvivesTheJournalInItsNormalForm() throws Exception {
        int checked = 0;
        for (UpdateCorpus c : UpdateCorpus.load()) {
            UpdateMessage learned = learned(c);
            byte[] normalized = NormalizedUpdate.encode(learned);
            BgpRecord.Update back = (BgpRecord.Update) roundTrip(new BgpRecord.Update(PEER, normalized));
            assertArrayEquals(normalized, back.message(), c.toString());
            assertEquals(learned, NormalizedUpdate.decode(back.message()), c.toString());
            checked++;
        }
        assertEquals(152, checked);
    }

    @Test
    void sessionRecordsRoundTripForAnIpv6Peer() {
        InetAddress v6 = address("fd00::1:4");
        for (BgpRecord.DownKind kind : BgpRecord.DownKind.values()) {
            BgpRecord down = new BgpRecord.PeerDown(v6, "hold timer expired", kind);
            assertEquals(down, roundTrip(down));
        }
        BgpRecord eor = new BgpRecord.EndOfRib(v6, AddressFamily.IPV6_UNICAST);
        assertEquals(eor, roundTrip(eor));
        BgpRecord refresh = new BgpRecord.RouteRefresh(v6, AddressFamily.IPV6_UNICAST, 1);
        assertEquals(refresh, roundTrip(refresh));
        BgpRecord expired = new BgpRecord.StaleExpired(v6);
        assertEquals(expired, roundTrip(expired));
    }

    @Test
    void malformedPayloadsAreClearErrors() {
        byte[] good = BgpRecordCodec.encode(new BgpRecord.PeerDown(PEER, "cease", BgpRecord.DownKind.NOTIFIED));
        assertMalformed(BgpRecordType.PEER_DOWN, Arrays.copyOf(good, good.length - 1), "PEER_DOWN", "truncated");
        assertMalformed(BgpRecordType.PEER_DOWN, Arrays.copyOf(good, good.length + 1), "PEER_DOWN", "1 octets left over");
        byte[] newer = good.clone();
        newer[0] = 2;
        assertMalformed(BgpRecordType.PEER_DOWN, newer, "PEER_DOWN", "layout version 2");
        byte[] badAddress = good.clone();
        badAddress[1] = 5;
        assertMalformed(BgpRecordType.PEER_DOWN, badAddress, "PEER_DOWN", "peer address of 5 octets");
        byte[] badKind = good.clone();
        badKind[6] = 7;
        assertMalformed(BgpRecordType.PEER_DOWN, badKind, "PEER_DOWN", "unknown session-end kind 7");
        assertMalformed((short) 99, good, "type 99", "not a BGP record type");
    }

    @Test
    void aViewFindsTheUpdateMessageInTheTailersBufferWithoutACopy() throws Exception {
        byte[] normalized = NormalizedUpdate.encode(learned(UpdateCorpus.load().get(0)));
        byte[] payload = BgpRecordCodec.encode(new BgpRecord.Update(PEER, normalized));
        byte[] framed = new byte[payload.length + 7];
        System.arraycopy(payload, 0, framed, 3, payload.length);
        RecordView view = new RecordView().wrap(BgpRecordType.UPDATE, new UnsafeBuffer(framed), 3, payload.length);
        assertEquals(PEER, view.peer());
        assertSame(framed, view.messageArray(), "the message is read where the tailer holds it");
        assertArrayEquals(normalized, Arrays.copyOfRange(framed, view.messageOffset(),
                view.messageOffset() + view.messageLength()));

        BgpRecord down = new BgpRecord.PeerDown(PEER, "cease", BgpRecord.DownKind.NOTIFIED);
        byte[] downPayload = BgpRecordCodec.encode(down);
        assertEquals(down, new RecordView().wrap(BgpRecordType.PEER_DOWN, new UnsafeBuffer(downPayload), 0,
                downPayload.length).decode());
    }

    @Test
    void aViewNamesAMalformedUpdate() {
        byte[] payload = BgpRecordCodec.encode(new BgpRecord.Update(PEER, new byte[] {1, 2, 3}));
        for (byte[] bad : List.of(Arrays.copyOf(payload, payload.length - 1), Arrays.copyOf(payload, payload.length + 2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new RecordView().wrap(BgpRecordType.UPDATE, new UnsafeBuffer(bad), 0, bad.length));
            assertTrue(e.getMessage().contains("malformed UPDATE journal record"), e.getMessage());
            assertTrue(e.getMessage().contains(bad.length < payload.length ? "truncated" : "2 octets left over"),
                    e.getMessage());
        }
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



    static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
