package io.cairn.node.bgp.wire;

/** KEEPALIVE: a header alone (RFC 4271 4.4). */
public record KeepaliveMessage() implements BgpMessage {

    public static final KeepaliveMessage INSTANCE = new KeepaliveMessage();

    @Override
    public int type() {
        return KEEPALIVE;
    }
}
