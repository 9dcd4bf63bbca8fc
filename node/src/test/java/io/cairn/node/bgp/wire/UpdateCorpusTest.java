package io.cairn.node.bgp.wire;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The 152 real UPDATEs of the shared corpus. "as2" ones are decoded as from a peer without
 * 4-octet ASNs (AS4_PATH merged); "addpath" ones have their Path Identifiers removed first,
 * because Cairn refuses ADD-PATH. Most were recorded on iBGP sessions, so the main checks use
 * an internal context (LOCAL_PREF kept).
 */
class UpdateCorpusTest {

    private static List<UpdateCorpus> corpus;

    @BeforeAll
    static void load() {
        corpus = UpdateCorpus.load();
    }

    private static byte[] withoutPathIds(UpdateCorpus c) {
        return c.has("addpath") ? AddPathStripper.strip(c.message()) : c.message();
    }

    private static Negotiated internal(UpdateCorpus c) {
        return c.has("as2") ? Wire.INTERNAL_AS2 : Wire.INTERNAL_AS4;
    }

    @Test
    void corpusHasAllItsMessages() {
        assertEquals(152, corpus.size());
    }

    @Test
    void everyMessageDecodesWithoutSessionResetAndOnlyTwoAreWithdrawn() {
        Map<String, List<String>> reported = new TreeMap<>();
        for (UpdateCorpus c : corpus) {
            Wire.Reports reports = new Wire.Reports();
            decodeOrFail(c, withoutPathIds(c), internal(c), reports);
            if (!reports.seen.isEmpty()) {
                reported.put(c.id(), reports.seen);
            }
        }
        assertEquals(Map.of(
                // NEXT_HOP 255.255.255.255 is not a host address (RFC 4271 6.3, RFC 7606 7.3).
                "exabgp-074", List.of("TREAT_AS_WITHDRAW 3"),
                // BGPsec_Path instead of AS_PATH: Cairn speaks no BGPsec, so AS_PATH is missing (RFC 7606 3.d).
                "routecore-011", List.of("TREAT_AS_WITHDRAW 2")), reported);
    }

    @Test
    void everyMessageReencodesToTheSameValue() {
        for (UpdateCorpus c : corpus) {
            Negotiated n = internal(c);
            BgpMessage decoded = decodeOrFail(c, withoutPathIds(c), n, new Wire.Reports());
            assertEquals(decoded, decodeOrFail(c, Wire.encode(decoded, n), n, Wire.Reports.failOnAny()), c.toString());
        }
    }

    @Test
    void twoOctetMessagesMeanTheSameOnAFourOctetSession() {
        for (UpdateCorpus c : corpus) {
            BgpMessage decoded = decodeOrFail(c, withoutPathIds(c), internal(c), new Wire.Reports());
            byte[] asFourOctet = Wire.encode(decoded, Wire.INTERNAL_AS4);
            assertEquals(decoded, decodeOrFail(c, asFourOctet, Wire.INTERNAL_AS4, new Wire.Reports()), c.toString());
            byte[] asTwoOctet = Wire.encode(decoded, Wire.INTERNAL_AS2);
            assertEquals(decoded, decodeOrFail(c, asTwoOctet, Wire.INTERNAL_AS2, new Wire.Reports()), c.toString());
        }
    }

    @Test
    void externalPeersNeverResetTheSessionOverTheCorpus() {
        for (UpdateCorpus c : corpus) {
            Negotiated n = c.has("as2") ? Wire.EXTERNAL_AS2 : Wire.EXTERNAL_AS4;
            BgpMessage decoded = decodeOrFail(c, withoutPathIds(c), n, new Wire.Reports());
            assertTrue(((UpdateMessage) decoded).attribute(PathAttribute.LocalPref.class).isEmpty(), c.toString());
        }
    }

    @Test
    void as4PathIsMergedIntoTheTwoOctetAsPath() throws BgpProtocolException {
        // routecore-008: AS_PATH 64496 64497 64498 64499 and six AS_TRANS; AS4_PATH of as many ASNs.
        assertEquals("64496 64497 64498 64499 65536 65536 65536 65536 65537 65546", asPath("routecore-008"));
        assertEquals("100", asPath("exabgp-113"));
        assertEquals("30 {10 20}", asPath("yabgp-001"));
        UpdateMessage yabgp = (UpdateMessage) Wire.decode(find("yabgp-001").message(), Wire.INTERNAL_AS2);
        assertEquals(30, yabgp.attribute(PathAttribute.Aggregator.class).orElseThrow().asn());
    }

    @Test
    void canonicalMessageReencodesByteForByte() throws BgpProtocolException {
        byte[] original = find("exabgp-001").message();
        assertArrayEquals(original, Wire.encode(Wire.decode(original, Wire.INTERNAL_AS4), Wire.INTERNAL_AS4));
    }

    private static String asPath(String id) throws BgpProtocolException {
        UpdateMessage u = (UpdateMessage) Wire.decode(find(id).message(), Wire.INTERNAL_AS2);
        return u.attribute(PathAttribute.AsPath.class).orElseThrow().toString();
    }

    private static UpdateCorpus find(String id) {
        return corpus.stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    private static BgpMessage decodeOrFail(UpdateCorpus c, byte[] message, Negotiated n, MalformedUpdateListener l) {
        try {
            return Wire.decode(message, n, l);
        } catch (BgpProtocolException e) {
            return fail(c + ": session reset " + e.getMessage(), e);
        }
    }

    static List<byte[]> messages() {
        List<byte[]> all = new ArrayList<>();
        for (UpdateCorpus c : UpdateCorpus.load()) {
            all.add(withoutPathIds(c));
        }
        return all;
    }
}
