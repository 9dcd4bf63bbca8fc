package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.BgpProtocolException;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.OpenMessage;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Frames and decodes BGP messages. A protocol error is passed on as a {@link BgpProtocolException}
 * object (not thrown), after which every further byte is discarded: the FSM sends the
 * NOTIFICATION and closes, and nothing read after the error may be acted on.
 */
final class BgpFrameDecoder extends ByteToMessageDecoder {

    private final WireContext context;
    private final MalformedUpdateListener listener;
    private boolean failed;

    BgpFrameDecoder(WireContext context, MalformedUpdateListener listener) {
        this.context = context;
        this.listener = listener;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            int length = MessageCodec.checkHeader(in, context.negotiated());
            if (length < 0 || in.readableBytes() < length) {
                return;
            }
            BgpMessage message = MessageCodec.decode(in.readSlice(length), context.negotiated(), listener);
            if (message instanceof OpenMessage open) {
                context.remoteOpen(open);
            }
            out.add(message);
        } catch (BgpProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            out.add(e);
        }
    }
}
