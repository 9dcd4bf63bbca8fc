package io.cairn.node.bgp.wire;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import static io.cairn.node.bgp.wire.Wire.attribute;
import static io.cairn.node.bgp.wire.Wire.bytes;
import static io.cairn.node.bgp.wire.Wire.concat;
import static io.cairn.node.bgp.wire.Wire.mandatory;
import static io.cairn.node.bgp.wire.Wire.update;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hand-built malformed UPDATEs, one or more per rule of RFC 7606 (and the RFCs it leans on):
 * the exact NOTIFICATION for a session reset, the exact UPDATE for treat-as-withdraw and
 * attribute discard, and what the listener is told.
 */
class Rfc7606Test {

    private static final byte[] NLRI_10_1 = bytes(16, 10, 1);          // 10.1.0.0/16
    private static final byte[] NLRI_192_24 = bytes(24, 192, 0, 2);     // 192.0.2.0/24
    private static final byte[] NO_DATA = new byte[0];

    // --- helpers ------------------------------------------------------------------------------

    private final Wire.Reports reports = new Wire.Reports();

    private UpdateMessage decode(byte[] message, Negotiated n) throws Exception {
        return (UpdateMessage) Wire.decode(message, n, reports);
    }

    private UpdateMessage decode(byte[] message) throws Exception {
        return decode(message, Wire.EXTERNAL_AS4);
    }

    private static NotificationMessage reset(byte[] message, Negotiated n) {
        return assertThrows(BgpProtocolException.class,
                () -> Wire.decode(message, n, Wire.Reports.failOnAny())).notification();
    }

    private static NotificationMessage reset(byte[] message) {
        return reset(message, Wire.EXTERNAL_AS4);
    }

    private static void assertNotification(int subcode, byte[] data, NotificationMessage n) {
        assertEquals(NotificationCode.UPDATE_MESSAGE_ERROR, n.code(), n::toString);
        assertEquals(subcode, n.subcode(), n::toString);
        assertArrayEquals(data, n.data(), n::toString);
    }

    private static Prefix p(String text) {
        return Prefix.parse(text);
    }

    /** The UPDATE every prefix of which is withdrawn, as treat-as-withdraw returns it. */
    private static UpdateMessage withdrawing(String... prefixes) {
        return new UpdateMessage(Arrays.stream(prefixes).map(Prefix::parse).toList(), List.of(), List.of());
    }

    private void assertReported(String... expected) {
        assertEquals(List.of(expected), reports.seen, reports.reasons::toString);
    }

    // --- section 3 ----------------------------------------------------------------------------

    @Test
    void section3b_withdrawnRoutesLengthBeyondMessage_resetsWithMalformedAttributeList() {
        byte[] body = bytes(0, 9, 24, 10, 0, 0, 0, 0);
        assertNotification(NotificationCode.MALFORMED_ATTRIBUTE_LIST, NO_DATA, reset(Wire.message(2, body)));
    }

    @Test
    void section3b_totalAttributeLengthBeyondMessage_resetsWithMalformedAttributeList() {
        byte[] body = bytes(0, 0, 0, 20, 0x40, 1, 1, 0);
        assertNotification(NotificationCode.MALFORMED_ATTRIBUTE_LIST, NO_DATA, reset(Wire.message(2, body)));
    }

    @Test
    void section3c_wellKnownAttributeFlaggedOptional_treatsAsWithdraw() throws Exception {
        byte[] attrs = concat(attribute(0xC0, 1, 0), attribute(0x40, 2), attribute(0x40, 3, 192, 0, 2, 1));
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(attrs, NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 1");
    }

    @Test
    void section3c_medFlaggedTransitive_treatsAsWithdraw() throws Exception {
        byte[] attrs = concat(mandatory(), attribute(0xC0, 4, 0, 0, 0, 5));
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(attrs, NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 4");
    }

    @Test
    void section3c_partialAndExtendedLengthBitsAreNoFlagsError() throws Exception {
        byte[] attrs = concat(attribute(0x70, 1, 2), attribute(0x40, 2), attribute(0x40, 3, 192, 0, 2, 1));
        UpdateMessage u = decode(update(attrs, NLRI_10_1));
        assertEquals(new PathAttribute.Origin(2), u.attribute(PathAttribute.Origin.class).orElseThrow());
        assertReported();
    }

    @Test
    void section3d_missingOriginWithNlri_treatsAsWithdraw() throws Exception {
        byte[] attrs = concat(attribute(0x40, 2), attribute(0x40, 3, 192, 0, 2, 1));
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(attrs, NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 1");
    }

    @Test
    void section3d_missingNextHopWithNlri_treatsAsWithdraw() throws Exception {
        byte[] attrs = concat(attribute(0x40, 1, 0), attribute(0x40, 2));
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(attrs, NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 3");
    }

    @Test
    void section3d_missingAsPathWithMpReach_withdrawsThroughMpUnreach() throws Exception {
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 2, 1, 16), v6("2001:db8::1"), bytes(0, 32, 0x20, 0x01, 0x0d, 0xb8)));
        UpdateMessage u = decode(update(concat(reach, attribute(0x40, 1, 0)), new byte[0]));
        assertEquals(new UpdateMessage(List.of(), List.of(new PathAttribute.MpUnreachNlri(
                AddressFamily.IPV6_UNICAST, List.of(p("2001:db8::/32")))), List.of()), u);
        assertReported("TREAT_AS_WITHDRAW 2");
    }

    @Test
    void section3d_noWellKnownAttributesNeededWithoutNlri() throws Exception {
        UpdateMessage u = decode(update(bytes(24, 10, 0, 0), new byte[0], new byte[0]));
        assertEquals(withdrawing("10.0.0.0/24"), u);
        UpdateMessage eor = decode(update(attribute(0x80, 15, 0, 2, 1), new byte[0]));
        assertEquals(AddressFamily.IPV6_UNICAST, eor.endOfRibFamily().orElseThrow());
        assertReported();
    }

    @Test
    void section3g_repeatedAttribute_keepsTheFirstAndDiscardsTheRest() throws Exception {
        byte[] attrs = concat(mandatory(), attribute(0xC0, 8, 0, 0, 0, 1), attribute(0xC0, 8, 0, 0, 0, 2));
        UpdateMessage u = decode(update(attrs, NLRI_10_1));
        assertEquals(List.of(1), u.attribute(PathAttribute.Communities.class).orElseThrow().values());
        assertEquals(List.of(p("10.1.0.0/16")), u.nlri());
        assertReported("ATTRIBUTE_DISCARD 8");
    }

    @Test
    void section3g_repeatedMpReachNlri_resetsWithMalformedAttributeList() {
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 1, 1, 4, 192, 0, 2, 1, 0), NLRI_10_1));
        byte[] attrs = concat(reach, reach, attribute(0x40, 1, 0), attribute(0x40, 2));
        assertNotification(NotificationCode.MALFORMED_ATTRIBUTE_LIST, NO_DATA, reset(update(attrs, new byte[0])));
    }

    @Test
    void section3g_repeatedMpUnreachNlri_resetsWithMalformedAttributeList() {
        byte[] unreach = attribute(0x80, 15, 0, 1, 1, 24, 10, 0, 0);
        assertNotification(NotificationCode.MALFORMED_ATTRIBUTE_LIST, NO_DATA,
                reset(update(concat(unreach, unreach), new byte[0])));
    }

    @Test
    void section3h_treatAsWithdrawWinsOverAttributeDiscard() throws Exception {
        byte[] attrs = concat(mandatory(), attribute(0x40, 6, 1), attribute(0x80, 4, 0, 0, 5));
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(attrs, NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 4");
    }

    @Test
    void section3h_sessionResetWinsOverTreatAsWithdraw() {
        byte[] attrs = concat(attribute(0x40, 1, 7), attribute(0x40, 2), attribute(0x40, 3, 192, 0, 2, 1),
                attribute(0x80, 14, 0, 2, 1));
        assertNotification(NotificationCode.ATTRIBUTE_LENGTH_ERROR, attribute(0x80, 14, 0, 2, 1),
                reset(update(attrs, NLRI_10_1)));
    }

    @Test
    void section3j_5_3_nlriPrefixLongerThan32_resetsWithInvalidNetworkField() {
        assertNotification(NotificationCode.INVALID_NETWORK_FIELD, NO_DATA,
                reset(update(mandatory(), bytes(33, 10, 0, 0, 0, 0))));
    }

    @Test
    void section3j_5_3_nlriOverrunningTheMessage_resetsWithInvalidNetworkField() {
        assertNotification(NotificationCode.INVALID_NETWORK_FIELD, NO_DATA,
                reset(update(mandatory(), bytes(24, 10, 0))));
    }

    @Test
    void section3i_5_3_withdrawnRoutesCheckedLikeNlri() {
        assertNotification(NotificationCode.INVALID_NETWORK_FIELD, NO_DATA,
                reset(update(bytes(40, 10, 0, 0, 0, 0), new byte[0], new byte[0])));
        assertNotification(NotificationCode.INVALID_NETWORK_FIELD, NO_DATA,
                reset(update(bytes(32, 10, 0), new byte[0], new byte[0])));
    }

    // --- section 4 ----------------------------------------------------------------------------

    @Test
    void section4_attributeOverrunningTotalAttributeLength_treatsAsWithdrawAndStillFindsTheNlri()
            throws Exception {
        byte[] attrs = concat(mandatory(), bytes(0xC0, 8, 8, 0, 0, 0, 1)); // says 8 octets, has 4
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(attrs, NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 8");
    }

    @Test
    void section4_fewerThanThreeOctetsLeftForAnAttribute_treatsAsWithdraw() throws Exception {
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(mandatory(), bytes(0x40, 5)), NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 0");
    }

    @Test
    void section4_fewerThanFourOctetsLeftWithExtendedLength_treatsAsWithdraw() throws Exception {
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(mandatory(), bytes(0x50, 8, 0)), NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 0");
    }

    @Test
    void section4_overrunningMpReachNlri_resets() {
        byte[] attrs = concat(bytes(0x80, 14, 30, 0, 1, 1, 4), mandatory());
        assertNotification(NotificationCode.MALFORMED_ATTRIBUTE_LIST, NO_DATA, reset(update(attrs, new byte[0])));
    }

    @Test
    void section4_zeroLengthAttributesOtherThanAsPathAndAtomicAggregate_areErrors() throws Exception {
        UpdateMessage ok = decode(update(concat(mandatory(), attribute(0x40, 6)), NLRI_10_1));
        assertTrue(ok.attribute(PathAttribute.AtomicAggregate.class).isPresent());
        assertEquals(PathAttribute.AsPath.EMPTY, ok.attribute(PathAttribute.AsPath.class).orElseThrow());
        UpdateMessage aggregator = decode(update(concat(mandatory(), attribute(0xC0, 7)), NLRI_10_1));
        assertTrue(aggregator.attribute(PathAttribute.Aggregator.class).isEmpty());
        assertEquals(List.of(p("10.1.0.0/16")), aggregator.nlri());
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(mandatory(), attribute(0xC0, 8)), NLRI_10_1)));
        assertReported("ATTRIBUTE_DISCARD 7", "TREAT_AS_WITHDRAW 8");
    }

    // --- section 5 ----------------------------------------------------------------------------

    @Test
    void section5_1_encoderPutsMpAttributesFirst() {
        UpdateMessage u = new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0), PathAttribute.AsPath.EMPTY,
                new PathAttribute.MpUnreachNlri(AddressFamily.IPV6_UNICAST, List.of())), List.of());
        byte[] wire = Wire.encode(u, Wire.EXTERNAL_AS4);
        assertArrayEquals(update(concat(attribute(0x80, 15, 0, 2, 1), attribute(0x40, 1, 0), attribute(0x40, 2)),
                new byte[0]), wire);
    }

    @Test
    void section5_2_withdrawErrorWithoutReachableNlri_resets() {
        byte[] med = attribute(0x80, 4, 0, 5);
        assertNotification(NotificationCode.ATTRIBUTE_LENGTH_ERROR, med,
                reset(update(bytes(24, 10, 0, 0), concat(attribute(0x40, 1, 0), attribute(0x40, 2), med), new byte[0])));
    }

    @Test
    void section5_2_discardErrorWithoutReachableNlri_onlyDiscards() throws Exception {
        byte[] attrs = concat(attribute(0x40, 1, 0), attribute(0x40, 2), attribute(0x40, 6, 9));
        assertEquals(new UpdateMessage(List.of(p("10.0.0.0/24")), List.of(new PathAttribute.Origin(0),
                PathAttribute.AsPath.EMPTY), List.of()), decode(update(bytes(24, 10, 0, 0), attrs, new byte[0])));
        assertReported("ATTRIBUTE_DISCARD 6");
    }

    @Test
    void section5_3_mpReachPrefixTooLong_resetsWithOptionalAttributeError() {
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 2, 1, 16), v6("2001:db8::1"), bytes(0, 129)));
        assertNotification(NotificationCode.OPTIONAL_ATTRIBUTE_ERROR, reach,
                reset(update(concat(reach, attribute(0x40, 1, 0), attribute(0x40, 2)), new byte[0])));
    }

    @Test
    void section5_3_mpUnreachPrefixOverrun_resetsWithOptionalAttributeError() {
        byte[] unreach = attribute(0x80, 15, 0, 2, 1, 64, 0x20, 0x01);
        assertNotification(NotificationCode.OPTIONAL_ATTRIBUTE_ERROR, unreach, reset(update(unreach, new byte[0])));
    }

    @Test
    void section5_3_mpAttributesTooShort_resetWithAttributeLengthError() {
        byte[] reach = attribute(0x80, 14, 0, 1, 1, 0);
        assertNotification(NotificationCode.ATTRIBUTE_LENGTH_ERROR, reach, reset(update(reach, new byte[0])));
        byte[] unreach = attribute(0x80, 15, 0, 1);
        assertNotification(NotificationCode.ATTRIBUTE_LENGTH_ERROR, unreach, reset(update(unreach, new byte[0])));
    }

    @Test
    void section5_3_mpAttributeFlagsWrong_resetWithAttributeFlagsError() {
        byte[] unreach = attribute(0xC0, 15, 0, 2, 1);
        assertNotification(NotificationCode.ATTRIBUTE_FLAGS_ERROR, unreach, reset(update(unreach, new byte[0])));
    }

    // --- section 7 ----------------------------------------------------------------------------

    @Test
    void section7_1_originOfWrongLengthOrUndefinedValue_treatsAsWithdraw() throws Exception {
        byte[] rest = concat(attribute(0x40, 2), attribute(0x40, 3, 192, 0, 2, 1));
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(attribute(0x40, 1, 0, 0), rest), NLRI_10_1)));
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(attribute(0x40, 1, 3), rest), NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 1", "TREAT_AS_WITHDRAW 1");
    }

    @Test
    void section7_1_undefinedOriginWithoutNlri_resetsWithInvalidOrigin() {
        byte[] origin = attribute(0x40, 1, 3);
        assertNotification(NotificationCode.INVALID_ORIGIN_ATTRIBUTE, origin,
                reset(update(bytes(8, 10), concat(origin, attribute(0x40, 2)), new byte[0])));
    }

    @Test
    void section7_2_malformedAsPath_treatsAsWithdraw() throws Exception {
        byte[][] malformed = {
            bytes(5, 1, 0, 0, 0, 1),        // unknown segment type
            bytes(2, 0),                    // segment of zero ASNs
            bytes(2, 2, 0, 0, 0, 1),        // overrun: 2 ASNs announced, 1 present
            bytes(2, 1, 0, 0, 0, 1, 2),     // underrun: one octet after the last segment
        };
        for (byte[] path : malformed) {
            byte[] attrs = concat(attribute(0x40, 1, 0), attribute(0x40, 2, path), attribute(0x40, 3, 192, 0, 2, 1));
            assertEquals(withdrawing("10.1.0.0/16"), decode(update(attrs, NLRI_10_1)), Wire.hex(path));
        }
        assertEquals(4, reports.seen.size());
    }

    @Test
    void section7_2_rfc5065_confederationSegmentFromExternalPeer_treatsAsWithdraw() throws Exception {
        byte[] attrs = concat(attribute(0x40, 1, 0), attribute(0x40, 2, 3, 1, 0, 0, 0xFD, 0xE8),
                attribute(0x40, 3, 192, 0, 2, 1));
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(attrs, NLRI_10_1)));
        UpdateMessage internal = decode(update(attrs, NLRI_10_1), Wire.INTERNAL_AS4);
        assertEquals("(65000)", internal.attribute(PathAttribute.AsPath.class).orElseThrow().toString());
    }

    @Test
    void section7_2_malformedAsPathWithoutNlri_resetsWithMalformedAsPathAndNoData() {
        byte[] attrs = concat(attribute(0x40, 1, 0), attribute(0x40, 2, 2, 0));
        assertNotification(NotificationCode.MALFORMED_AS_PATH, NO_DATA, reset(update(bytes(8, 10), attrs, new byte[0])));
    }

    @Test
    void section7_3_nextHopOfWrongLengthOrNotAHost_treatsAsWithdraw() throws Exception {
        byte[] head = concat(attribute(0x40, 1, 0), attribute(0x40, 2));
        for (byte[] nextHop : new byte[][] {bytes(10, 0, 0), bytes(0, 0, 0, 0), bytes(224, 0, 0, 5), bytes(255, 255, 255, 255)}) {
            assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(head, attribute(0x40, 3, nextHop)), NLRI_10_1)));
        }
        assertReported("TREAT_AS_WITHDRAW 3", "TREAT_AS_WITHDRAW 3", "TREAT_AS_WITHDRAW 3", "TREAT_AS_WITHDRAW 3");
    }

    @Test
    void section7_3_rfc4760_nextHopIsNotJudgedWithoutNlriOfItsOwn() throws Exception {
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 1, 1, 4, 192, 0, 2, 1, 0), NLRI_10_1));
        byte[] attrs = concat(reach, attribute(0x40, 1, 0), attribute(0x40, 2), attribute(0x40, 3, 0, 0, 0, 0));
        UpdateMessage u = decode(update(attrs, new byte[0]));
        assertEquals(List.of(p("10.1.0.0/16")), u.allAnnounced());
        assertReported();
    }

    @Test
    void section7_4_medOfWrongLength_treatsAsWithdraw() throws Exception {
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(mandatory(), attribute(0x80, 4, 0, 0, 5)), NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 4");
    }

    @Test
    void section7_5_localPrefFromExternalPeer_isDiscardedWhateverItHolds() throws Exception {
        for (byte[] localPref : new byte[][] {attribute(0x40, 5, 0, 0, 0, 100), attribute(0x40, 5, 1)}) {
            UpdateMessage u = decode(update(concat(mandatory(), localPref), NLRI_10_1));
            assertTrue(u.attribute(PathAttribute.LocalPref.class).isEmpty());
            assertEquals(List.of(p("10.1.0.0/16")), u.nlri());
        }
        assertReported("ATTRIBUTE_DISCARD 5", "ATTRIBUTE_DISCARD 5");
    }

    @Test
    void section7_5_localPrefOfWrongLengthFromInternalPeer_treatsAsWithdraw() throws Exception {
        UpdateMessage kept = decode(update(concat(mandatory(), attribute(0x40, 5, 0, 0, 0, 100)), NLRI_10_1), Wire.INTERNAL_AS4);
        assertEquals(100, kept.attribute(PathAttribute.LocalPref.class).orElseThrow().value());
        assertEquals(withdrawing("10.1.0.0/16"),
                decode(update(concat(mandatory(), attribute(0x40, 5, 1)), NLRI_10_1), Wire.INTERNAL_AS4));
        assertReported("TREAT_AS_WITHDRAW 5");
    }

    @Test
    void section7_6_atomicAggregateWithAValue_isDiscarded() throws Exception {
        UpdateMessage u = decode(update(concat(mandatory(), attribute(0x40, 6, 1)), NLRI_10_1));
        assertTrue(u.attribute(PathAttribute.AtomicAggregate.class).isEmpty());
        assertEquals(List.of(p("10.1.0.0/16")), u.nlri());
        assertReported("ATTRIBUTE_DISCARD 6");
    }

    @Test
    void section7_7_aggregatorOfWrongLength_isDiscarded() throws Exception {
        // 6 octets is the 2-octet form: wrong on a 4-octet session, right on a 2-octet one.
        byte[] aggregator = attribute(0xC0, 7, 0xFD, 0xE8, 192, 0, 2, 9);
        UpdateMessage u = decode(update(concat(mandatory(), aggregator), NLRI_10_1));
        assertTrue(u.attribute(PathAttribute.Aggregator.class).isEmpty());
        UpdateMessage old = decode(update(concat(mandatory(), aggregator), NLRI_10_1), Wire.EXTERNAL_AS2);
        assertEquals(65000, old.attribute(PathAttribute.Aggregator.class).orElseThrow().asn());
        assertReported("ATTRIBUTE_DISCARD 7");
    }

    @Test
    void section3f_aggregatorWithWrongFlags_isDiscarded() throws Exception {
        UpdateMessage u = decode(update(concat(mandatory(), attribute(0x40, 7, 0, 0, 0xFD, 0xE8, 192, 0, 2, 9)), NLRI_10_1));
        assertTrue(u.attribute(PathAttribute.Aggregator.class).isEmpty());
        assertEquals(List.of(p("10.1.0.0/16")), u.nlri());
        assertReported("ATTRIBUTE_DISCARD 7");
    }

    @Test
    void section7_8_communitiesNotAMultipleOf4_treatsAsWithdraw() throws Exception {
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(mandatory(), attribute(0xC0, 8, 0, 0, 0, 1, 2)), NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 8");
    }

    @Test
    void section7_9_7_10_originatorIdAndClusterList_fromExternalPeerAreDiscarded() throws Exception {
        byte[] attrs = concat(mandatory(), attribute(0x80, 9, 1, 2, 3), attribute(0x80, 10, 1, 2, 3, 4));
        UpdateMessage u = decode(update(attrs, NLRI_10_1));
        assertEquals(new UpdateMessage(List.of(), List.of(new PathAttribute.Origin(0), PathAttribute.AsPath.EMPTY,
                new PathAttribute.NextHop((java.net.Inet4Address) InetAddress.getByAddress(bytes(192, 0, 2, 1)))),
                List.of(p("10.1.0.0/16"))), u);
        assertReported("ATTRIBUTE_DISCARD 9", "ATTRIBUTE_DISCARD 10");
    }

    @Test
    void section7_9_7_10_originatorIdAndClusterList_fromInternalPeerAreCheckedThenDropped() throws Exception {
        byte[] good = concat(mandatory(), attribute(0x80, 9, 1, 2, 3, 4), attribute(0x80, 10, 1, 2, 3, 4, 5, 6, 7, 8));
        UpdateMessage u = decode(update(good, NLRI_10_1), Wire.INTERNAL_AS4);
        assertEquals(3, u.attributes().size());
        assertEquals(withdrawing("10.1.0.0/16"),
                decode(update(concat(mandatory(), attribute(0x80, 9, 1, 2, 3)), NLRI_10_1), Wire.INTERNAL_AS4));
        assertEquals(withdrawing("10.1.0.0/16"),
                decode(update(concat(mandatory(), attribute(0x80, 10, 1, 2, 3, 4, 5)), NLRI_10_1), Wire.INTERNAL_AS4));
        assertReported("TREAT_AS_WITHDRAW 9", "TREAT_AS_WITHDRAW 10");
    }

    @Test
    void section7_11_mpReachNextHopLengthInconsistentWithFamily_resetsWithOptionalAttributeError() {
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 2, 1, 12), new byte[12], bytes(0, 32, 0x20, 0x01, 0x0d, 0xb8)));
        assertNotification(NotificationCode.OPTIONAL_ATTRIBUTE_ERROR, reach,
                reset(update(concat(reach, attribute(0x40, 1, 0), attribute(0x40, 2)), new byte[0])));
        byte[] ipv6NextHopForIpv4 = attribute(0x80, 14, concat(bytes(0, 1, 1, 16), v6("2001:db8::1"), bytes(0), NLRI_10_1));
        assertNotification(NotificationCode.OPTIONAL_ATTRIBUTE_ERROR, ipv6NextHopForIpv4,
                reset(update(concat(ipv6NextHopForIpv4, attribute(0x40, 1, 0), attribute(0x40, 2)), new byte[0])));
    }

    @Test
    void section7_11_rfc2545_ipv6GlobalAndLinkLocalNextHops() throws Exception {
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 2, 1, 32), v6("2001:db8::1"), v6("fe80::1"),
                bytes(0, 32, 0x20, 0x01, 0x0d, 0xb8)));
        UpdateMessage u = decode(update(concat(reach, attribute(0x40, 1, 0), attribute(0x40, 2)), new byte[0]));
        PathAttribute.MpReachNlri r = u.attribute(PathAttribute.MpReachNlri.class).orElseThrow();
        assertEquals(List.of(InetAddress.getByAddress(v6("2001:db8::1")), InetAddress.getByAddress(v6("fe80::1"))), r.nextHops());
        assertEquals(List.of(p("2001:db8::/32")), r.nlri());
    }

    @Test
    void section7_14_extendedCommunitiesNotAMultipleOf8_treatsAsWithdraw() throws Exception {
        assertEquals(withdrawing("10.1.0.0/16"),
                decode(update(concat(mandatory(), attribute(0xC0, 16, 0, 2, 0, 1, 0, 0, 0)), NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 16");
    }

    @Test
    void rfc8092_6_largeCommunitiesNotAMultipleOf12_treatsAsWithdraw() throws Exception {
        assertEquals(withdrawing("10.1.0.0/16"), decode(update(concat(mandatory(), attribute(0xC0, 32, new byte[11])), NLRI_10_1)));
        assertReported("TREAT_AS_WITHDRAW 32");
    }

    // --- what treat-as-withdraw returns -------------------------------------------------------

    @Test
    void section2_treatAsWithdraw_movesEveryPrefixToTheWithdrawnSide() throws Exception {
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 2, 1, 16), v6("2001:db8::1"), bytes(0, 32, 0x20, 0x01, 0x0d, 0xb8)));
        byte[] unreach = attribute(0x80, 15, 0, 2, 1, 16, 0x20, 0x02);
        byte[] attrs = concat(reach, unreach, mandatory(), attribute(0x80, 4, 1));
        UpdateMessage u = decode(update(bytes(24, 10, 9, 9), attrs, concat(NLRI_10_1, NLRI_192_24)));
        assertEquals(new UpdateMessage(List.of(p("10.9.9.0/24"), p("10.1.0.0/16"), p("192.0.2.0/24")),
                List.of(new PathAttribute.MpUnreachNlri(AddressFamily.IPV6_UNICAST,
                        List.of(p("2002::/16"), p("2001:db8::/32")))), List.of()), u);
    }

    @Test
    void section2_treatAsWithdraw_ipv4InMpReachJoinsTheWithdrawnRoutesWhenMpUnreachIsIpv6() throws Exception {
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 1, 1, 4, 192, 0, 2, 1, 0), NLRI_192_24));
        byte[] unreach = attribute(0x80, 15, 0, 2, 1, 16, 0x20, 0x02);
        byte[] attrs = concat(reach, unreach, attribute(0x40, 1, 0));
        assertEquals(new UpdateMessage(List.of(p("192.0.2.0/24")), List.of(new PathAttribute.MpUnreachNlri(
                AddressFamily.IPV6_UNICAST, List.of(p("2002::/16")))), List.of()), decode(update(attrs, new byte[0])));
    }

    // --- RFC 4271 5 and 6.3, RFC 4760, RFC 6793 -----------------------------------------------

    @Test
    void rfc4271_5_unknownOptionalTransitive_isKeptWithPartialBit() throws Exception {
        UpdateMessage u = decode(update(concat(mandatory(), attribute(0xC0, 99, 1, 2, 3)), NLRI_10_1));
        assertEquals(new PathAttribute.Unknown(0xE0, 99, bytes(1, 2, 3)), u.attribute(PathAttribute.Unknown.class).orElseThrow());
        assertReported();
    }

    @Test
    void rfc4271_5_unknownOptionalNonTransitive_isQuietlyIgnored() throws Exception {
        UpdateMessage u = decode(update(concat(mandatory(), attribute(0x80, 99, 1, 2, 3)), NLRI_10_1));
        assertEquals(3, u.attributes().size());
        assertReported();
    }

    @Test
    void rfc4271_6_3_unrecognizedWellKnownAttribute_resetsWithTheAttributeAsData() {
        byte[] unknown = attribute(0x40, 99, 1, 2, 3);
        assertNotification(NotificationCode.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE, unknown,
                reset(update(concat(mandatory(), unknown), NLRI_10_1)));
    }

    @Test
    void rfc4760_familyNotNegotiated_isIgnoredWithADiscardReport() throws Exception {
        Negotiated ipv4Only = new Negotiated(true, false, true, java.util.Set.of(AddressFamily.IPV4_UNICAST));
        byte[] reach = attribute(0x80, 14, concat(bytes(0, 2, 1, 16), v6("2001:db8::1"), bytes(0, 32, 0x20, 0x01, 0x0d, 0xb8)));
        UpdateMessage u = decode(update(concat(reach, mandatory()), NLRI_10_1), ipv4Only);
        assertTrue(u.attribute(PathAttribute.MpReachNlri.class).isEmpty());
        assertEquals(List.of(p("10.1.0.0/16")), u.nlri());
        assertReported("ATTRIBUTE_DISCARD 14");
    }

    @Test
    void rfc6793_4_1_as4AttributesBetweenFourOctetSpeakers_areDiscarded() throws Exception {
        byte[] as4Path = attribute(0xC0, 17, 2, 1, 0, 1, 0, 0);
        UpdateMessage u = decode(update(concat(mandatory(), as4Path), NLRI_10_1));
        assertEquals(PathAttribute.AsPath.EMPTY, u.attribute(PathAttribute.AsPath.class).orElseThrow());
        assertReported("ATTRIBUTE_DISCARD 17");
    }

    private static byte[] v6(String address) {
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
