package io.cairn.node.journal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a BGP listener that a test can close and open, so it decides when a
 * peer gets back in after a restart (and can read the restarted node before the peer is back).
 * Outgoing connections come from {@code from}, so the listener sees the peer's own address.
 * Closed, it accepts and at once closes what arrives, as a refused connection would be. Either
 * side closing closes the other: the peer sees a crash of the node behind as a crash.
 */
public final class TcpGate implements AutoCloseable {

    private final ServerSocket server;
    private final InetAddress from;
    private final InetSocketAddress to;
    private final Set<Socket> relayed = ConcurrentHashMap.newKeySet();
    private volatile boolean open;

    TcpGate(InetAddress listen, InetAddress from, InetSocketAddress to) throws IOException {
        this(new InetSocketAddress(listen, 0), from, to);
    }

    /** A gate on {@code listen} (port 0: a free one), closed until {@link #open}. */
    public TcpGate(InetSocketAddress listen, InetAddress from, InetSocketAddress to) throws IOException {
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 16);
        this.from = from;
        this.to = to;
        Thread acceptor = new Thread(this::accept, "tcp-gate");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void open(boolean open) {
        this.open = open;
    }

    /** Closes the connections relayed now, as a failing link would; new ones are let in while open. */
    public void cut() throws IOException {
        for (Socket s : relayed) {
            s.close();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                if (!open) {
                    in.close();
                    continue;
                }
                Socket out = new Socket();
                out.bind(new InetSocketAddress(from, 0));
                try {
                    out.connect(to, 5_000);
                } catch (IOException e) {
                    in.close();
                    out.close();
                    continue;
                }
                relayed.add(in);
                relayed.add(out);
                relay(in, out);
                relay(out, in);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void relay(Socket a, Socket b) {
        Thread t = new Thread(() -> {
            try (a; b; InputStream i = a.getInputStream(); OutputStream o = b.getOutputStream()) {
                i.transferTo(o);
            } catch (IOException e) {
                // one side is gone: closing both (try-with-resources) passes it on
            } finally {
                relayed.remove(a);
                relayed.remove(b);
            }
        }, "tcp-gate-relay");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        cut();
    }
}
