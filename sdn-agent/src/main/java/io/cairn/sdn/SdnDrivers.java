package io.cairn.sdn;

import io.cairn.sdn.file.FileDriver;
import io.cairn.sdn.linux.LinuxRouteDriver;
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
                throw new IllegalStateException("sdn.driver ovn: the ovn driver (io.cairn.sdn.ovn) is not in this build");
            default:
                throw new AssertionError(config.driver());
        }
    }
}
