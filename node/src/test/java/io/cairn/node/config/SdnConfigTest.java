package io.cairn.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cairn.sdn.SdnConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sdn section: each driver's keys, defaults, every problem with its key path, and the round trip. */
class SdnConfigTest {

    private static final String MINIMAL = "node: {id: a, router-id: 10.1.0.4}\nvnet: {prefixes: [10.1.0.0/16]}\n";

    private static SdnConfig sdn(String section) throws ConfigException {
        return ConfigLoader.parse(MINIMAL + section, "t").sdn();
    }

    private static void assertProblems(String section, String... expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(MINIMAL + section, "t.yaml"));
        assertEquals(List.of(expected), e.problems());
    }

    @Test
    void noSectionMeansNoSdn() throws Exception {
        assertEquals(SdnConfig.NONE, sdn(""));
        assertEquals(SdnConfig.NONE, sdn("sdn: {driver: none}\n"));
    }

    @Test
    void eachDriverWithItsSettings() throws Exception {
        assertEquals(SdnConfig.file(Path.of("/var/lib/cairn/effective-routes.json")),
                sdn("sdn: {driver: file, file: {path: /var/lib/cairn/effective-routes.json}}\n"));
        assertEquals(SdnConfig.linux(new SdnConfig.LinuxSettings(100, null, 250)),
                sdn("sdn: {driver: linux, linux: {table: 100}}\n"));
        assertEquals(SdnConfig.linux(new SdnConfig.LinuxSettings(4_294_967_295L, "workload-1", 201)),
                sdn("sdn: {driver: linux, linux: {table: 4294967295, netns: workload-1, protocol: 201}}\n"));
        assertEquals(SdnConfig.ovn(new SdnConfig.OvnSettings("tcp:10.1.0.10:6641", "lr-vnet", null, null, null)),
                sdn("sdn: {driver: ovn, ovn: {remote: \"tcp:10.1.0.10:6641\", router: lr-vnet}}\n"));
        assertEquals(SdnConfig.ovn(new SdnConfig.OvnSettings("ssl:[2001:db8::10]:6641", "lr-vnet", Path.of("k.pem"),
                        Path.of("c.pem"), Path.of("ca.pem"))),
                sdn("""
                        sdn:
                          driver: ovn
                          ovn: {remote: "ssl:[2001:db8::10]:6641", router: lr-vnet, private-key: k.pem,
                                certificate: c.pem, ca-cert: ca.pem}
                        """));
        assertEquals("unix:/var/run/ovn/ovnnb_db.sock",
                sdn("sdn: {driver: ovn, ovn: {remote: \"unix:/var/run/ovn/ovnnb_db.sock\", router: r}}\n").ovn().remote());
        assertEquals("tcp:ovn-central.example:6641",
                sdn("sdn: {driver: ovn, ovn: {remote: \"tcp:ovn-central.example:6641\", router: r}}\n").ovn().remote());
    }

    @Test
    void theEffectiveConfigParsesBack() throws Exception {
        for (String section : List.of("sdn: {driver: file, file: {path: /r.json}}\n",
                "sdn: {driver: linux, linux: {table: 254, netns: ws}}\n",
                "sdn: {driver: ovn, ovn: {remote: \"unix:/s\", router: r}}\n",
                "sdn: {driver: ovn, ovn: {remote: \"ssl:h:1\", router: r, private-key: k, certificate: c, ca-cert: a}}\n")) {
            CairnConfig c = ConfigLoader.parse(MINIMAL + section, "t");
            String yaml = ConfigWriter.toYaml(c, ConfigWriter.Secrets.SHOW);
            assertEquals(c, ConfigLoader.parse(yaml, "effective"), yaml);
        }
        assertEquals(true, ConfigWriter.toYaml(ConfigLoader.parse(MINIMAL + "sdn: {driver: linux, linux: {table: 7}}",
                "t"), ConfigWriter.Secrets.SHOW).endsWith("sdn:\n  driver: linux\n  linux:\n    table: 7\n    netns: null\n"
                + "    protocol: 250\n"));
    }

    @Test
    void driverProblems() {
        assertProblems("sdn: {driver: kernel}\n", "sdn.driver: 'kernel' is not a driver; use one of none, file, linux, ovn");
        assertProblems("sdn: {driver: file}\n", "sdn.file: required when sdn.driver is file");
        assertProblems("sdn: {driver: file, file: {path: /r.json}, linux: {table: 100}}\n",
                "sdn.linux: given, but sdn.driver is file; remove it, or set driver: linux");
        assertProblems("sdn: {linux: {table: 100}}\n",
                "sdn.linux: given, but sdn.driver is none; remove it, or set driver: linux");
        assertProblems("sdn: {driver: file, file: {path: /r.json, mode: 600}, flavour: x}\n",
                "sdn.flavour: unknown key (known: driver, owner, file, linux, ovn)",
                "sdn.file.mode: unknown key (known: path)");
        assertProblems("sdn: [file]\n", "sdn: must be a mapping of keys to values, not a list");
    }

    @Test
    void fileAndLinuxProblems() {
        assertProblems("sdn: {driver: file, file: {}}\n", "sdn.file.path: required");
        assertProblems("sdn: {driver: linux, linux: {netns: ws}}\n", "sdn.linux.table: required");
        assertProblems("sdn: {driver: linux, linux: {table: 255}}\n",
                "sdn.linux.table: 255 is the kernel's local table (this host's own addresses); use another");
        assertProblems("sdn: {driver: linux, linux: {table: 0, netns: ../etc, protocol: 4}}\n",
                "sdn.linux.table: 0 is out of range 1..4294967295",
                "sdn.linux.netns: '../etc' is not a network namespace name (as in ip netns add NAME): use letters,"
                        + " digits, '.', '_' or '-', starting with a letter or digit",
                "sdn.linux.protocol: 4 is one of the kernel's own protocols (0 unspec, 1 redirect, 2 kernel, 3 boot,"
                        + " 4 static): Cairn would take the system's or the operator's routes for its own; use 5..255"
                        + " (default 250)");
        assertProblems("sdn: {driver: linux, linux: {table: \"100\", protocol: 256}}\n",
                "sdn.linux.table: must be an integer, not '100'",
                "sdn.linux.protocol: 256 is out of range 0..255");
    }

    @Test
    void ovnProblems() {
        assertProblems("sdn: {driver: ovn, ovn: {}}\n", "sdn.ovn.remote: required", "sdn.ovn.router: required");
        String usage = " is not an OVSDB remote; write tcp:HOST:PORT, ssl:HOST:PORT or unix:PATH";
        assertProblems("sdn: {driver: ovn, ovn: {remote: \"http://h:1\", router: r}}\n",
                "sdn.ovn.remote: 'http://h:1'" + usage);
        assertProblems("sdn: {driver: ovn, ovn: {remote: \"tcp:10.1.0.10\", router: r}}\n",
                "sdn.ovn.remote: 'tcp:10.1.0.10'" + usage + " ('' is not a host; IPv6 goes in brackets)");
        assertProblems("sdn: {driver: ovn, ovn: {remote: \"tcp:::1:6641\", router: r}}\n",
                "sdn.ovn.remote: 'tcp:::1:6641'" + usage + " ('::1' is not a host; IPv6 goes in brackets)");
        assertProblems("sdn: {driver: ovn, ovn: {remote: \"tcp:h:66410\", router: r}}\n",
                "sdn.ovn.remote: 'tcp:h:66410'" + usage + " (port '66410' is not a number in 1..65535)");
        assertProblems("sdn: {driver: ovn, ovn: {remote: \"unix:\", router: \" \"}}\n",
                "sdn.ovn.remote: 'unix:'" + usage + " (the socket path is missing)",
                "sdn.ovn.router: must not be empty");
        assertProblems("sdn: {driver: ovn, ovn: {remote: \"ssl:h:6641\", router: r, certificate: c.pem}}\n",
                "sdn.ovn.private-key: required for an ssl: remote",
                "sdn.ovn.ca-cert: required for an ssl: remote");
        assertProblems("sdn: {driver: ovn, ovn: {remote: \"tcp:h:6641\", router: r, ca-cert: ca.pem}}\n",
                "sdn.ovn.ca-cert: only for an ssl: remote, and tcp:h:6641 is not one");
    }

    @Test
    void ovnOwnerTagDefaultsToCairnAndIsValidated() throws Exception {
        assertEquals("cairn", sdn("sdn: {driver: ovn, ovn: {remote: \"unix:/s\", router: r}}\n").ovn().owner());
        assertEquals(SdnConfig.ovn(new SdnConfig.OvnSettings("unix:/s", "r", null, null, null, "cairn-prod.2")),
                sdn("sdn: {driver: ovn, owner: cairn-prod.2, ovn: {remote: \"unix:/s\", router: r}}\n"));
        String usage = " is not an owner tag: use 1 to 64 letters, digits, '.', '_' or '-' (default cairn)";
        assertProblems("sdn: {driver: ovn, owner: \"\", ovn: {remote: \"unix:/s\", router: r}}\n", "sdn.owner: ''" + usage);
        assertProblems("sdn: {driver: ovn, owner: \"a=b\", ovn: {remote: \"unix:/s\", router: r}}\n",
                "sdn.owner: 'a=b'" + usage);
        assertProblems("sdn: {driver: linux, owner: blue, linux: {table: 100}}\n",
                "sdn.owner: only the ovn driver tags its rows with an owner; the linux driver owns the routes of its"
                        + " protocol number (sdn.linux.protocol), the file driver its whole file");
        CairnConfig c = ConfigLoader.parse(MINIMAL + "sdn: {driver: ovn, owner: blue, ovn: {remote: \"unix:/s\", router: r}}",
                "t");
        String yaml = ConfigWriter.toYaml(c, ConfigWriter.Secrets.SHOW);
        assertTrue(yaml.contains("sdn:\n  driver: ovn\n  owner: blue\n"), yaml);
        assertEquals(c, ConfigLoader.parse(yaml, "effective"), yaml);
    }
}
