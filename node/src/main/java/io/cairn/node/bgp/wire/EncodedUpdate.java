package io.cairn.node.bgp.wire;

/**
 * An UPDATE already in its wire form, body only (RFC 4271 4.3: withdrawn routes, path
 * attributes, NLRI); {@link MessageCodec} adds the header. Export packs IPv4 unicast routes into
 * these straight from the RIB's prefix keys ({@link Ipv4UpdateWriter}), so no {@link Prefix} or
 * {@link UpdateMessage} is built per route and per session. Only ever sent, never decoded.
 *
 * @param body        the body octets; not copied, so not to be changed once handed over
 * @param fourOctetAs the AS number size its attributes are encoded with (RFC 6793): it may only go
 *                    out on a session that negotiated the same
 */
public record EncodedUpdate(byte[] body, boolean fourOctetAs) implements BgpMessage {

    @Override
    public int type() {
        return UPDATE;
    }
}
