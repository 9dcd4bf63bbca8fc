package io.cairn.sdn;

import io.cairn.sdn.file.FileDriver;
import io.cairn.sdn.linux.LinuxRouteDriver;
import io.cairn.sdn.ovn.OvnDriver;
import io.cairn.sdn.ovn.OvnOptions;
import io.cairn.sdn.ovn.OvsdbRemote;
import io.cairn.sdn.ovn.OvsdbTls;
import java.time.Duration;
import java.util.Optional;

/** Builds the driver a {@link SdnConfig} names. */
public final class SdnDrivers {

    /** How long one ip command may take before the linux driver gives up and retries. */
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(30);

    private SdnDrivers() {
    }

    /** The configured driver; empty for driver none. */
    public static Optional<SdnDriver> create(SdnConfig config) {
        switch (config.driver()) {
            case NONE:
                return Optional.empty();
            case FILE:
                return Optional.of(new FileDriver(config.file().path()));
            case LINUX:
                SdnConfig.LinuxSettings l = config.linux();
                return Optional.of(new LinuxRouteDriver(l.table(), l.netns(), l.protocol(), IP_TIMEOUT));
            case OVN:
                SdnConfig.OvnSettings o = config.ovn();
                OvsdbTls tls = o.privateKey() == null ? null : new OvsdbTls(o.privateKey(), o.certificate(), o.caCert());
                return Optional.of(new OvnDriver(
                        OvnOptions.of(OvsdbRemote.parse(o.remote()), o.router(), o.owner(), tls)));
            default:
                throw new AssertionError(config.driver());
        }
    }
}
