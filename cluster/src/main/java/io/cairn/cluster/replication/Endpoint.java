package io.cairn.cluster.replication;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;

/**
 * A replication endpoint as members publish it: "host:port", an IPv6 host in brackets. Never a
 * wildcard address (0.0.0.0, ::): other members dial it, and a wildcard would have them dial
 * themselves.
 */
public record Endpoint(String host, int port) {

    /** The config key naming the address to publish when the listen address is a wildcard. */
    public static final String ADVERTISE_KEY = "cluster.replication.advertise";
    /** The config key of the address the replication server binds. */
    public static final String LISTEN_KEY = "cluster.replication.listen";

    public Endpoint {
        if (host.isEmpty()) {
            throw new IllegalArgumentException("endpoint host is empty");
        }
        if (isWildcard(host)) {
            throw new IllegalArgumentException("endpoint host " + host + " is a wildcard address, which other members"
                    + " cannot dial");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is not in 1..65535");
        }
    }

    public static Endpoint parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        String host = unbracketed(text.substring(0, colon));
        try {
            return new Endpoint(host, Integer.parseInt(text.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no numeric port", e);
        }
    }

    public static Endpoint of(InetSocketAddress address) {
        return new Endpoint(address.getAddress().getHostAddress(), address.getPort());
    }

    /**
     * What this node publishes for a replication server bound to {@code bound}: {@code advertise}
     * (a host name or address, IPv6 with or without brackets) with the bound port, or, when
     * {@code advertise} is null, the bound address itself, which must then not be a wildcard.
     *
     * @throws IllegalArgumentException naming the config key to set or fix
     */
    public static Endpoint toPublish(InetSocketAddress bound, String advertise) {
        if (advertise != null) {
            try {
                return new Endpoint(unbracketed(advertise.trim()), bound.getPort());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ADVERTISE_KEY + " '" + advertise + "': " + e.getMessage(), e);
            }
        }
        if (bound.getAddress().isAnyLocalAddress()) {
            throw new IllegalArgumentException(LISTEN_KEY + " is the wildcard address "
                    + bound.getAddress().getHostAddress() + ", which other members cannot dial: set " + ADVERTISE_KEY
                    + " to the address they reach this node at, or listen on that address");
        }
        return of(bound);
    }

    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** An IP literal of all zeros (host names are never wildcards). */
    private static boolean isWildcard(String host) {
        byte[] address = NetUtil.createByteArrayFromIpAddressString(host);
        if (address == null) {
            return false;
        }
        for (byte b : address) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
