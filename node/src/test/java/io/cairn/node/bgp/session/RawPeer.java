package io.cairn.node.bgp.session;

import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.KeepaliveMessage;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.Wire;
import io.netty.buffer.Unpooled;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A hand-driven BGP peer on a plain socket, for tests that must send exactly the bytes they
 * choose (malformed messages, silence) and read exactly what Cairn answers.
 */
public final class RawPeer implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private Negotiated negotiated = Negotiated.DEFAULT;

    public RawPeer(InetAddress local, InetSocketAddress remote) throws IOException {
        socket = new Socket();
        socket.bind(new InetSocketAddress(local, 0));
        socket.connect(remote, 5_000);
        in = new DataInputStream(socket.getInputStream());
    }

    public void negotiated(Negotiated n) {
        this.negotiated = n;
    }

    public void send(BgpMessage message) throws IOException {
        sendRaw(Wire.encode(message, negotiated));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    /**
     * Plays the OPEN exchange up to Established as an NVA would: reads Cairn's OPEN, sends
     * {@code ours}, confirms with KEEPALIVE; later messages use the format the two OPENs agree on.
     */
    public OpenMessage establish(OpenMessage ours, Duration timeout) throws IOException {
        BgpMessage theirs = read(timeout);
        if (!(theirs instanceof OpenMessage open)) {
            throw new AssertionError("expected Cairn's OPEN, got " + theirs);
        }
        send(ours);
        BgpMessage confirm = read(timeout);
        if (!(confirm instanceof KeepaliveMessage)) {
            throw new AssertionError("expected KEEPALIVE after the OPENs, got " + confirm);
        }
        send(KeepaliveMessage.INSTANCE);
        negotiated = Negotiated.of(ours, open);
        return open;
    }

    /** The next message, or null when the connection closed first. Fails after {@code timeout}. */
    public BgpMessage read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        byte[] header = new byte[19];
        try {
            in.readFully(header);
        } catch (EOFException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no message within " + timeout);
        }
        int length = ((header[16] & 0xFF) << 8) | (header[17] & 0xFF);
        byte[] whole = new byte[length];
        System.arraycopy(header, 0, whole, 0, 19);
        in.readFully(whole, 19, length - 19);
        try {
            return MessageCodec.decode(Unpooled.wrappedBuffer(whole), negotiated, MalformedUpdateListener.IGNORE);
        } catch (Exception e) {
            throw new AssertionError("Cairn sent a message that does not decode", e);
        }
    }

    /** Reads until Cairn closes the connection; returns the last message before the close. */
    public BgpMessage readUntilClosed(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BgpMessage last = null;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("connection still open after " + timeout);
            }
            BgpMessage m;
            try {
                m = read(Duration.ofNanos(left).plusMillis(1));
            } catch (java.net.SocketException e) {
                return last; // reset by peer counts as closed
            }
            if (m == null) {
                return last;
            }
            last = m;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
