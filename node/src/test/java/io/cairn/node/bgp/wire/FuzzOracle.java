package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * What any input may do to the decoder: give a message or a session reset. Anything else that
 * escapes (IndexOutOfBoundsException, IllegalArgumentException from a model constructor, ...)
 * is a bug, and so is a decoded message that does not survive encode then decode.
 */
final class FuzzOracle {

    private FuzzOracle() {
    }

    static void check(byte[] message, Negotiated negotiated) {
        BgpMessage decoded;
        try {
            decoded = MessageCodec.decode(Unpooled.wrappedBuffer(message), negotiated, MalformedUpdateListener.IGNORE);
        } catch (BgpProtocolException e) {
            assertNotNull(e.notification());
            return;
        }
        // Bodies are re-encoded without the length limit: normalizing may lengthen a message
        // (a 2-octet AS path's AS4_PATH covers the whole path again), which the export side
        // handles by packing; here only the meaning counts.
        ByteBuf body = Unpooled.buffer();
        BgpMessage again;
        try {
            if (decoded instanceof UpdateMessage u) {
                UpdateCodec.encode(u, negotiated, body);
                again = UpdateCodec.decode(body, negotiated, MalformedUpdateListener.IGNORE);
            } else if (decoded instanceof OpenMessage o) {
                OpenCodec.encode(o, body);
                again = OpenCodec.decode(body);
            } else {
                again = MessageCodec.decode(Unpooled.wrappedBuffer(Wire.encode(decoded, negotiated)), negotiated,
                        MalformedUpdateListener.IGNORE);
            }
        } catch (BgpProtocolException e) {
            throw new AssertionError("re-encoded " + decoded + " does not decode: " + e.getMessage(), e);
        }
        assertEquals(decoded, again);
    }

    /** The session an input's first octet picks: 4- or 2-octet AS, external or internal, IPv4 only or dual stack. */
    static Negotiated session(byte selector) {
        return new Negotiated((selector & 1) == 0, true, (selector & 2) == 0,
                (selector & 4) == 0 ? Wire.UNICAST : java.util.Set.of(AddressFamily.IPV4_UNICAST));
    }
}
