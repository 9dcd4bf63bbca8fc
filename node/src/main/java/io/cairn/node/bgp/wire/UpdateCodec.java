package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;

/** UPDATE body (RFC 4271 4.3) with RFC 7606 error handling and RFC 6793 AS4 conversion. */
final class UpdateCodec {

    private UpdateCodec() {
    }

    static UpdateMessage decode(ByteBuf body, Negotiated negotiated, MalformedUpdateListener listener)
            throws BgpProtocolException {
        throw new UnsupportedOperationException("UPDATE decoding is being written");
    }

    static void encode(UpdateMessage update, Negotiated negotiated, ByteBuf out) {
        throw new UnsupportedOperationException("UPDATE encoding is being written");
    }
}
