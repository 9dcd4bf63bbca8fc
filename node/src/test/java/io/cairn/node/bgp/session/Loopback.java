package io.cairn.node.bgp.session;

import io.cairn.node.config.PeerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/** Addresses and ports on the loopback range for tests; nothing here leaves the machine. */
public final class Loopback {

    private Loopback() {
    }

    /** 127.0.0.{@code last}. */
    public static InetAddress address(int last) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last});
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** A port that was free on that address a moment ago. */
    public static int freePort(InetAddress on) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(on, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A peer with Cairn's defaults: reflect on, 90 s hold time, no password. */
    public static PeerConfig peer(String name, InetAddress address, long asn, int port, boolean passive) {
        return new PeerConfig(name, address, asn, 90, null, 10_000, true, passive, port);
    }

    public static PeerConfig withPassword(PeerConfig p, String password) {
        return new PeerConfig(p.name(), p.address(), p.asn(), p.holdTime(), password, p.maxPrefixes(), p.reflect(),
                p.passive(), p.port());
    }
}
