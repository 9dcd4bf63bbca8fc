package io.cairn.node.config;

import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * IP literals and host:port text. Never resolves names: a config that depends on DNS at start
 * would make a route server's behaviour depend on a resolver, and {@code InetAddress.getByName}
 * silently falls back to DNS for anything that is not a valid literal.
 */
final class IpText {

    private IpText() {
    }

    /** The address written as {@code text}, or null if it is not an IPv4 or IPv6 literal. */
    static InetAddress parse(String text) {
        return NetUtil.createInetAddressFromIpAddressString(text);
    }

    /** Dotted quad, or RFC 5952 text for IPv6 ("2001:db8::1", not "2001:db8:0:0:0:0:0:1"). */
    static String format(InetAddress address) {
        return NetUtil.toAddressString(address);
    }

    /** "10.1.0.4:179", or "[::]:179" for IPv6, the form the config accepts. */
    static String format(InetSocketAddress socket) {
        InetAddress a = socket.getAddress();
        String host = a instanceof Inet6Address ? "[" + format(a) + "]" : format(a);
        return host + ":" + socket.getPort();
    }

    /** For constants: a socket address from a literal known to be valid. */
    static InetSocketAddress socketAddress(String literal, int port) {
        InetAddress a = parse(literal);
        if (a == null) {
            throw new IllegalArgumentException("not an IP literal: " + literal);
        }
        return new InetSocketAddress(a, port);
    }
}
