package io.cairn.sdn.ovn;

import java.nio.file.Path;

/**
 * Where an ovsdb-server listens, in the notation of ovsdb-server(1) and ovn-nbctl --db:
 * {@code tcp:HOST:PORT}, {@code ssl:HOST:PORT} or {@code unix:PATH}. IPv6 hosts go in brackets,
 * {@code tcp:[::1]:6641}.
 */
public record OvsdbRemote(Kind kind, String host, int port, Path path) {

    public enum Kind { TCP, SSL, UNIX }

    public OvsdbRemote {
        if (kind == Kind.UNIX ? path == null : host == null || host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("incomplete ovsdb remote " + kind + " " + host + ":" + port);
        }
    }

    public static OvsdbRemote parse(String text) {
        int colon = text.indexOf(':');
        String scheme = colon < 0 ? "" : text.substring(0, colon);
        String rest = colon < 0 ? "" : text.substring(colon + 1);
        switch (scheme) {
            case "unix":
                if (rest.isEmpty()) {
                    throw new IllegalArgumentException("ovsdb remote " + text + ": unix: needs a socket path");
                }
                return new OvsdbRemote(Kind.UNIX, null, 0, Path.of(rest));
            case "tcp":
                return hostPort(Kind.TCP, text, rest);
            case "ssl":
                return hostPort(Kind.SSL, text, rest);
            default:
                throw new IllegalArgumentException(
                        "ovsdb remote " + text + ": expected tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH");
        }
    }

    private static OvsdbRemote hostPort(Kind kind, String text, String rest) {
        int colon = rest.lastIndexOf(':');
        String host = colon < 0 ? rest : rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("ovsdb remote " + text + ": expected "
                    + kind.name().toLowerCase() + ":HOST:PORT with a port in 1..65535");
        }
        return new OvsdbRemote(kind, host, port, null);
    }

    @Override
    public String toString() {
        return kind == Kind.UNIX ? "unix:" + path
                : kind.name().toLowerCase() + ":" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
