package io.cairn.node.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The admin HTTP API. Loopback by default, so a fresh node exposes nothing; {@code tokenFile}
 * (nullable) holds the bearer token clients must present.
 */
public record AdminConfig(InetSocketAddress listen, Path tokenFile) {

    public static final InetSocketAddress DEFAULT_LISTEN = IpText.socketAddress("127.0.0.1", 8179);
    public static final AdminConfig DEFAULT = new AdminConfig(DEFAULT_LISTEN, null);

    public AdminConfig {
        Objects.requireNonNull(listen, "listen");
    }
}
