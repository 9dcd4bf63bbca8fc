package io.cairn.node.bgp.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.util.Arrays;
import java.util.List;

/**
 * Builds IPv4 unicast UPDATEs (RFC 4271 4.3) one prefix at a time from prefix keys
 * ({@link Prefix#ipv4Key()}: address in bits 8-39, length in bits 0-7), writing each prefix's
 * octets straight into the message: no {@link Prefix} per route. The attributes of an
 * announcement are encoded once by {@link UpdateCodec} ({@link #announceHead}) and copied into
 * each message, so the octets are the ones {@link MessageCodec} writes for the equivalent
 * {@link UpdateMessage}. The caller decides where a message ends ({@link #messageLength()}).
 * One instance per session, reused; not thread-safe.
 */
public final class Ipv4UpdateWriter {

    private final Negotiated negotiated;
    private final ByteBuf scratch = Unpooled.buffer(256);
    private byte[] body;
    private int size;
    private boolean withdrawing;

    public Ipv4UpdateWriter(Negotiated negotiated) {
        this.negotiated = negotiated;
        this.body = new byte[negotiated.maxMessageLength(BgpMessage.UPDATE) - MessageHeader.LENGTH];
    }

    /**
     * The start of the body of every UPDATE announcing with {@code attributes}: an empty withdrawn
     * routes field and the path attributes field, as {@link UpdateCodec} writes them. The NLRI
     * field, last in the body, is what {@link #add} appends.
     */
    public byte[] announceHead(List<PathAttribute> attributes) {
        scratch.clear();
        UpdateCodec.encode(new UpdateMessage(List.of(), attributes, List.of()), negotiated, scratch);
        byte[] head = new byte[scratch.readableBytes()];
        scratch.readBytes(head);
        return head;
    }

    /** Starts an UPDATE that announces, its body beginning with {@code head} from {@link #announceHead}. */
    public void startAnnouncement(byte[] head) {
        ensure(head.length);
        System.arraycopy(head, 0, body, 0, head.length);
        size = head.length;
        withdrawing = false;
    }

    /** Starts an UPDATE that only withdraws, in the withdrawn routes field. */
    public void startWithdrawal() {
        size = 2; // the withdrawn routes length, set by finish()
        withdrawing = true;
    }

    /** The length of the message as it stands, header included. */
    public int messageLength() {
        return MessageHeader.LENGTH + size + (withdrawing ? 2 : 0);
    }

    /** What a prefix adds to a message: its length octet and just the octets holding its bits. */
    public static int octets(long key) {
        return 1 + ((int) (key & 0xFF) + 7 >>> 3);
    }

    /** Appends the prefix of {@code key} to the field being written. */
    public void add(long key) {
        ensure(size + 5);
        int length = (int) (key & 0xFF);
        int address = (int) (key >>> 8);
        byte[] b = body;
        int at = size;
        b[at++] = (byte) length;
        // The key holds the address with its host bits clear, so the octets written are exact.
        for (int shift = 24, n = length + 7 >>> 3; n > 0; n--, shift -= 8) {
            b[at++] = (byte) (address >>> shift);
        }
        size = at;
    }

    /** The UPDATE written since the last start. */
    public EncodedUpdate finish() {
        if (withdrawing) {
            int withdrawn = size - 2;
            body[0] = (byte) (withdrawn >>> 8);
            body[1] = (byte) withdrawn;
            ensure(size + 2);
            body[size++] = 0; // no path attributes
            body[size++] = 0;
            withdrawing = false;
        }
        return new EncodedUpdate(Arrays.copyOf(body, size), negotiated.fourOctetAs());
    }

    /** Grows the buffer only for attributes too large to leave room for a prefix; the codec refuses the message then. */
    private void ensure(int capacity) {
        if (capacity > body.length) {
            body = Arrays.copyOf(body, Math.max(capacity, body.length * 2));
        }
    }
}
