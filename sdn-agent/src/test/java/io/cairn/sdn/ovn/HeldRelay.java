package io.cairn.sdn.ovn;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of ovsdb-server whose client-to-server direction a test can hold: what a
 * client sends meanwhile is kept (and can be counted by JSON-RPC method) and reaches the server,
 * in order, on {@link #release}. The server-to-client direction always flows. So a test decides
 * that requests a client has already planned and sent are executed only after something else.
 */
final class HeldRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    /** Bytes kept while held, and the server connection they are for (one client at a time). */
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private OutputStream keptFor;
    private boolean held;

    /** A relay on a free loopback port to {@code serverPort} on loopback. */
    HeldRelay(int serverPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.server = new InetSocketAddress(loopback, serverPort);
        this.listener = new ServerSocket(0, 4, loopback);
        daemon("held-relay-accept", this::accept);
    }

    OvsdbRemote remote() {
        return OvsdbRemote.parse("tcp:127.0.0.1:" + listener.getLocalPort());
    }

    void hold() {
        synchronized (lock) {
            held = true;
        }
    }

    /** How many requests with this method ("transact", say) are held. */
    int heldRequests(String method) {
        String text;
        synchronized (lock) {
            text = kept.toString(StandardCharsets.UTF_8);
        }
        String needle = "\"method\":\"" + method + "\"";
        int count = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            count++;
        }
        return count;
    }

    /** Sends what was held, and everything after it as it comes. */
    void release() throws IOException {
        synchronized (lock) {
            held = false;
            if (keptFor != null) {
                kept.writeTo(keptFor);
                keptFor.flush();
            }
            kept.reset();
            keptFor = null;
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(server.getAddress(), server.getPort());
                sockets.add(client);
                sockets.add(upstream);
                daemon("held-relay-up", () -> pump(client, upstream, true));
                daemon("held-relay-down", () -> pump(upstream, client, false));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, boolean holdable) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                synchronized (lock) { // so a release's kept bytes go out before anything read after it
                    if (holdable && held) {
                        kept.write(buffer, 0, n);
                        keptFor = out;
                    } else {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            }
        } catch (IOException e) {
            // the other side or the relay closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        sockets.forEach(HeldRelay::closeQuietly);
    }
}
