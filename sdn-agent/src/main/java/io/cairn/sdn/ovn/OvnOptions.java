package io.cairn.sdn.ovn;

import io.cairn.sdn.SdnConfig;

import java.time.Duration;

/**
 * What the ovn driver needs: where the northbound database is, which logical router carries
 * Cairn's routes, and the owner tag (external_ids:cairn-owner) that marks them as Cairn's; two
 * Cairn clusters writing one router need different owners. {@code tls} is required for, and
 * only for, an ssl: remote.
 */
public record OvnOptions(OvsdbRemote remote, String router, String owner, OvsdbTls tls, Duration requestTimeout,
        Duration probeInterval, Duration minBackoff, Duration maxBackoff) {

    public static final String DEFAULT_OWNER = SdnConfig.OvnSettings.DEFAULT_OWNER;

    public OvnOptions {
        if (router == null || router.isBlank()) {
            throw new IllegalArgumentException("ovn: a logical router name is required");
        }
        SdnConfig.OvnSettings.requireValidOwner(owner);
        if ((remote.kind() == OvsdbRemote.Kind.SSL) != (tls != null)) {
            throw new IllegalArgumentException(tls == null
                    ? "ovn: remote " + remote + " needs a private key, certificate and CA certificate"
                    : "ovn: TLS files given but remote " + remote + " is not ssl:");
        }
        for (Duration d : new Duration[] {requestTimeout, probeInterval, minBackoff, maxBackoff}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("ovn: timeouts and backoffs must be positive, got " + d);
            }
        }
        if (maxBackoff.compareTo(minBackoff) < 0) {
            throw new IllegalArgumentException("ovn: max backoff " + maxBackoff + " is below min backoff " + minBackoff);
        }
    }

    /**
     * Defaults: 30 s per request (a batch of 1,000 routes takes well under a second), an echo
     * probe after 15 s of silence (so a dead server is noticed within 30 s; ovsdb-server is
     * single-threaded and can be silent for seconds while it serves a big client, and dropping
     * the connection would cost a full resync), reconnect backoff from 100 ms doubling to 10 s.
     */
    public static OvnOptions of(OvsdbRemote remote, String router, String owner, OvsdbTls tls) {
        return new OvnOptions(remote, router, owner, tls, Duration.ofSeconds(30), Duration.ofSeconds(15),
                Duration.ofMillis(100), Duration.ofSeconds(10));
    }
}
