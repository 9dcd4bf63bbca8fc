package io.cairn.node.bgp.wire;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Property: for every valid message x of every type, decode(encode(x)) equals x, with and
 * without 4-octet ASNs (2-octet sessions carry large ASNs through AS4_PATH and AS4_AGGREGATOR)
 * and for external and internal peers. A few thousand seeds per session kind.
 */
class MessageRoundTripTest {

    private static final int SEEDS = 3000;

    static Stream<Named<Negotiated>> sessions() {
        return Stream.of(
                Named.of("external peer, 4-octet AS", Wire.EXTERNAL_AS4),
                Named.of("internal peer, 4-octet AS", Wire.INTERNAL_AS4),
                Named.of("external peer, 2-octet AS", Wire.EXTERNAL_AS2),
                Named.of("internal peer, 2-octet AS", Wire.INTERNAL_AS2));
    }

    @ParameterizedTest
    @MethodSource("sessions")
    void everyMessageTypeSurvivesEncodeThenDecode(Negotiated session) throws BgpProtocolException {
        for (long seed = 0; seed < SEEDS; seed++) {
            RandomMessages random = new RandomMessages(seed, session);
            for (int i = 0; i < 3; i++) {
                assertRoundTrip(random.any(), session, seed);
            }
            assertRoundTrip(random.update(), session, seed);
        }
    }

    @ParameterizedTest
    @MethodSource("sessions")
    void updatesSurviveEncodeThenDecode(Negotiated session) throws BgpProtocolException {
        for (long seed = 0; seed < SEEDS; seed++) {
            assertRoundTrip(new RandomMessages(seed, session).update(), session, seed);
        }
    }

    private static void assertRoundTrip(BgpMessage message, Negotiated session, long seed) throws BgpProtocolException {
        byte[] wire = Wire.encode(message, session);
        BgpMessage decoded = Wire.decode(wire, session);
        assertEquals(message, decoded, () -> "seed " + seed + " on " + session + ": " + Wire.hex(wire));
    }
}
