package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Encodes outgoing messages in the connection's negotiated format. */
final class BgpMessageEncoder extends MessageToByteEncoder<BgpMessage> {

    private final WireContext context;

    BgpMessageEncoder(WireContext context) {
        super(BgpMessage.class);
        this.context = context;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, BgpMessage msg, ByteBuf out) {
        MessageCodec.encode(msg, context.negotiated(), out);
    }
}
