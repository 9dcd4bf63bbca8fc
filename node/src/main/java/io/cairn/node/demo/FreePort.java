package io.cairn.node.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Ports for the nodes' configs, which need numbers before the node starts: the kernel picks one
 * that is free on the address, and it is handed to the node at once.
 */
final class FreePort {

    private FreePort() {
    }

    static int on(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, 0));
            return s.getLocalPort();
        }
    }
}
