package io.cairn.bench;

import io.cairn.node.bgp.wire.AddressFamily;
import io.cairn.node.bgp.wire.BgpMessage;
import io.cairn.node.bgp.wire.Capability;
import io.cairn.node.bgp.wire.KeepaliveMessage;
import io.cairn.node.bgp.wire.MalformedUpdateListener;
import io.cairn.node.bgp.wire.MessageCodec;
import io.cairn.node.bgp.wire.MessageHeader;
import io.cairn.node.bgp.wire.Negotiated;
import io.cairn.node.bgp.wire.NotificationCode;
import io.cairn.node.bgp.wire.NotificationMessage;
import io.cairn.node.bgp.wire.OpenMessage;
import io.cairn.node.bgp.wire.UpdateMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One BGP session from a 127.0.0.x address to the router under test, on plain blocking sockets
 * and Cairn's own codec. The peer connects actively (the router is configured passive for it);
 * a reader thread drains everything the router sends (a route server also exports to the
 * injectors, and an undrained socket would stall it), answers nothing but keeps a keepalive
 * timer, and hands UPDATEs to an optional consumer (the monitor).
 */
final class BenchPeer implements AutoCloseable {

    static final int HOLD_TIME = 240;
    private static final long KEEPALIVE_MILLIS = 20_000;

    private final String name;
    private final InetAddress local;
    private final long asn;
    private volatile Socket socket = new Socket();
    private OutputStream out;
    private Negotiated negotiated = Negotiated.DEFAULT;
    private final CompletableFuture<Void> established = new CompletableFuture<>();
    /** Completes exceptionally when the session dies (NOTIFICATION, EOF, error) before close(). */
    final CompletableFuture<Void> failed = new CompletableFuture<>();
    private volatile boolean closing;
    private final Consumer<UpdateMessage> onUpdate;
    private Thread reader;
    private Thread keepalive;

    BenchPeer(String name, String localAddress, long asn, Consumer<UpdateMessage> onUpdate) throws IOException {
        this.name = name;
        this.local = InetAddress.getByName(localAddress);
        this.asn = asn;
        this.onUpdate = onUpdate;
    }

    String name() {
        return name;
    }

    Negotiated negotiated() {
        return negotiated;
    }

    /**
     * Connects (retrying every 200 ms until {@code timeoutMillis}: the router may still be
     * starting), sends OPEN and waits for the session to reach Established.
     */
    void connect(String host, int port, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            // a failed connect closes the socket, so every attempt gets a fresh one
            Socket s = new Socket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(local, 0));
            s.setTcpNoDelay(true);
            s.setReceiveBufferSize(1 << 20);
            s.setSendBufferSize(1 << 20);
            socket = s;
            try {
                s.connect(new InetSocketAddress(host, port), 1000);
                break;
            } catch (IOException e) {
                s.close();
                if (closing || System.nanoTime() > deadline) {
                    throw new IOException(name + ": cannot connect to " + host + ":" + port + ": " + e, e);
                }
                Thread.sleep(200);
            }
        }
        out = socket.getOutputStream();
        OpenMessage open = OpenMessage.of(asn, HOLD_TIME, ipv4(local),
                List.of(new Capability.Multiprotocol(AddressFamily.IPV4_UNICAST), new Capability.FourOctetAs(asn)));
        final OpenMessage ours = open;
        // OPEN first: the router may send its OPEN at once, and our KEEPALIVE must not beat our OPEN
        send(encode(open, Negotiated.DEFAULT));
        reader = new Thread(() -> readLoop(ours), "bgp-" + name);
        reader.setDaemon(true);
        reader.start();
        long left = deadline - System.nanoTime();
        try {
            established.get(Math.max(left, TimeUnit.SECONDS.toNanos(5)), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException(name + ": session did not reach Established", e);
        }
        keepalive = new Thread(this::keepaliveLoop, "ka-" + name);
        keepalive.setDaemon(true);
        keepalive.start();
    }

    private void readLoop(OpenMessage ours) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 1 << 17))) {
            byte[] buf = new byte[MessageHeader.MAX_EXTENDED_LENGTH];
            boolean openReceived = false;
            while (true) {
                in.readFully(buf, 0, MessageHeader.LENGTH);
                int length = ((buf[16] & 0xFF) << 8) | (buf[17] & 0xFF);
                int type = buf[18] & 0xFF;
                if (length < MessageHeader.LENGTH) {
                    throw new IOException("bad length " + length);
                }
                in.readFully(buf, MessageHeader.LENGTH, length - MessageHeader.LENGTH);
                if (type == BgpMessage.KEEPALIVE) {
                    if (openReceived) {
                        established.complete(null);
                    }
                    continue;
                }
                if (type == BgpMessage.UPDATE && onUpdate == null) {
                    continue; // injectors only drain what the router exports to them
                }
                ByteBuf frame = Unpooled.wrappedBuffer(buf, 0, length);
                BgpMessage m = MessageCodec.decode(frame, negotiated, MalformedUpdateListener.IGNORE);
                if (m instanceof OpenMessage theirs) {
                    negotiated = Negotiated.of(ours, theirs);
                    openReceived = true;
                    send(encode(KeepaliveMessage.INSTANCE, negotiated));
                } else if (m instanceof NotificationMessage n) {
                    throw new IOException("NOTIFICATION " + n.code() + "/" + n.subcode() + " from router");
                } else if (m instanceof UpdateMessage u) {
                    onUpdate.accept(u);
                }
            }
        } catch (Exception e) {
            if (!closing) {
                IOException failure = e instanceof EOFException
                        ? new IOException(name + ": router closed the session") : new IOException(name + ": " + e, e);
                established.completeExceptionally(failure);
                failed.completeExceptionally(failure);
            }
        }
    }

    private void keepaliveLoop() {
        byte[] ka = encode(KeepaliveMessage.INSTANCE, negotiated);
        try {
            while (!closing) {
                Thread.sleep(KEEPALIVE_MILLIS);
                send(ka);
            }
        } catch (InterruptedException | IOException e) {
            // closing
        }
    }

    /** Writes whole messages; synchronized so a keepalive never lands inside another message. */
    void send(byte[] messages) throws IOException {
        synchronized (this) {
            out.write(messages);
        }
        if (failed.isCompletedExceptionally()) {
            failed.join();
        }
    }

    static byte[] encode(BgpMessage m, Negotiated negotiated) {
        ByteBuf b = Unpooled.buffer(4096);
        MessageCodec.encode(m, negotiated, b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    static long ipv4(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    /**
     * Ends the session politely: a Cease / Administrative Shutdown with a shutdown communication
     * (RFC 4486 section 4, RFC 9003), then the close. A session that already failed is just closed.
     */
    void shutdown(String communication) {
        if (out != null && !failed.isDone()) {
            try {
                closing = true;
                send(encode(NotificationMessage.cease(NotificationCode.CEASE_ADMINISTRATIVE_SHUTDOWN, communication),
                        negotiated));
            } catch (IOException | RuntimeException e) {
                // the router went first; closing is all that is left
            }
        }
        close();
    }

    @Override
    public void close() {
        closing = true;
        try {
            socket.close();
        } catch (IOException e) {
            // nothing to do
        }
        if (keepalive != null) {
            keepalive.interrupt();
        }
    }
}
