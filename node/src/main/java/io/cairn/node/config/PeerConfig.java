package io.cairn.node.config;

import java.net.InetAddress;

/** Placeholder until the config package lands; replaced by the validated record. */
public record PeerConfig(String name, InetAddress address, long asn, int holdTime, String password,
                         int maxPrefixes, boolean reflect, boolean passive, int port) {
}
