package io.cairn.sdn;

import io.cairn.sdn.linux.LinuxRouteDriver;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Which SDN the leader programs, and how to reach it: the {@code sdn} section of a node's
 * config. Only the chosen driver's settings are present. The node's config reader validates the
 * YAML and builds this; {@link SdnDrivers} turns it into a driver.
 */
public record SdnConfig(Driver driver, FileSettings file, LinuxSettings linux, OvnSettings ovn) {

    /** No SDN: the node runs BGP only and writes routes nowhere. The default. */
    public static final SdnConfig NONE = new SdnConfig(Driver.NONE, null, null, null);

    public enum Driver {
        NONE, FILE, LINUX, OVN;

        /** The config spelling: "none", "file", "linux", "ovn". */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public SdnConfig {
        Objects.requireNonNull(driver, "driver");
        if ((driver == Driver.FILE) != (file != null) || (driver == Driver.LINUX) != (linux != null)
                || (driver == Driver.OVN) != (ovn != null)) {
            throw new IllegalArgumentException("sdn: exactly the settings of driver " + driver.key() + " must be given");
        }
    }

    public static SdnConfig file(Path path) {
        return new SdnConfig(Driver.FILE, new FileSettings(path), null, null);
    }

    public static SdnConfig linux(LinuxSettings settings) {
        return new SdnConfig(Driver.LINUX, null, settings, null);
    }

    public static SdnConfig ovn(OvnSettings settings) {
        return new SdnConfig(Driver.OVN, null, null, settings);
    }

    /** @param path the JSON document the file driver replaces atomically */
    public record FileSettings(Path path) {
        public FileSettings {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * @param table    routing table id, 1..4294967295 (254 is "main")
     * @param netns    a named network namespace (under /var/run/netns), or null for Cairn's own
     * @param protocol Cairn's route protocol number; routes with it are Cairn's
     */
    public record LinuxSettings(long table, String netns, int protocol) {
        public static final int DEFAULT_PROTOCOL = LinuxRouteDriver.DEFAULT_PROTOCOL;
    }

    /**
     * @param remote      tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH, as ovn-nbctl --db takes it
     * @param router      the logical router that carries Cairn's static routes
     * @param privateKey  for ssl: only, with certificate and caCert
     * @param certificate for ssl: only
     * @param caCert      for ssl: only
     */
    public record OvnSettings(String remote, String router, Path privateKey, Path certificate, Path caCert) {
        public OvnSettings {
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(router, "router");
        }
    }
}
