package io.cairn.sdn;

import io.cairn.sdn.linux.LinuxRouteDriver;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

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
     * @param owner       the tag (external_ids:cairn-owner) on Cairn's rows; two Cairn clusters sharing a
     *                    router need different ones, and each touches only rows with its own
     */
    public record OvnSettings(String remote, String router, Path privateKey, Path certificate, Path caCert,
                              String owner) {

        public static final String DEFAULT_OWNER = "cairn";
        /** Letters, digits, '.', '_', '-': safe inside an external_ids key and value as ovn-nbctl prints them. */
        public static final Pattern OWNER = Pattern.compile("[A-Za-z0-9._-]{1,64}");

        public OvnSettings {
            Objects.requireNonNull(remote, "remote");
            Objects.requireNonNull(router, "router");
            requireValidOwner(owner);
        }

        public static String requireValidOwner(String owner) {
            if (owner == null || !OWNER.matcher(owner).matches()) {
                throw new IllegalArgumentException("owner tag '" + owner + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            return owner;
        }

        /** With the default owner tag. */
        public OvnSettings(String remote, String router, Path privateKey, Path certificate, Path caCert) {
            this(remote, router, privateKey, certificate, caCert, DEFAULT_OWNER);
        }
    }
}
