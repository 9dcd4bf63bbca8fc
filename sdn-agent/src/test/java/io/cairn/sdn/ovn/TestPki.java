package io.cairn.sdn.ovn;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A throwaway CA with a server and a client certificate, made with openssl in the test's
 * directory; keys are PKCS#8 PEM (what Netty and ovsdb-server both read).
 */
final class TestPki {

    final Path ca;
    final Path serverKey;
    final Path serverCert;
    final OvsdbTls client;

    private TestPki(Path dir) {
        ca = dir.resolve("ca.pem");
        serverKey = dir.resolve("server.key");
        serverCert = dir.resolve("server.pem");
        client = new OvsdbTls(dir.resolve("client.key"), dir.resolve("client.pem"), ca);
    }

    static TestPki create(Path dir) {
        NbServer.require(Files.isExecutable(Path.of("/usr/bin/openssl")), "/usr/bin/openssl (package openssl) not found");
        TestPki pki = new TestPki(dir);
        NbServer.run(dir, List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=cairn-test-ca"));
        pki.issue(dir, "server");
        pki.issue(dir, "client");
        return pki;
    }

    private void issue(Path dir, String name) {
        NbServer.run(dir, List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=cairn-test-" + name));
        NbServer.run(dir, List.of("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", name + ".pem", "-days", "2"));
    }
}
