package io.cairn.cluster.replication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates made at test time with the JDK's keytool, one call per key pair: CAs, and node
 * certificates they sign (subjectAltName 127.0.0.1 unless given), written as the PEM files the config names.
 */
final class TestCertificates {

    private static final String PASSWORD = "changeit";

    private final Path dir;
    private final Path store;

    TestCertificates(Path dir) {
        this.dir = dir;
        this.store = dir.resolve("all.p12");
    }

    /** A self-signed CA named {@code name}; returns its PEM certificate. */
    Path ca(String name) throws Exception {
        keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-ext", "bc:c");
        Path pem = dir.resolve(name + "-ca.pem");
        Files.writeString(pem, pem("CERTIFICATE", load().getCertificate(name).getEncoded()));
        return pem;
    }

    /** Certificate and key of {@code name} for 127.0.0.1, signed by the CA {@code caName} whose PEM is {@code caPem}. */
    ReplicationTls node(String name, String caName, Path caPem) throws Exception {
        return node(name, caName, caPem, "ip:127.0.0.1");
    }

    /** As {@link #node(String, String, Path)}, with subjectAltName {@code san} (keytool syntax). */
    ReplicationTls node(String name, String caName, Path caPem, String san) throws Exception {
        keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-signer", caName,
                "-ext", "san=" + san);
        KeyStore ks = load();
        Path cert = dir.resolve(name + "-cert.pem");
        Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate(name).getEncoded()));
        Path key = dir.resolve(name + "-key.pem");
        Files.writeString(key, pem("PRIVATE KEY", ks.getKey(name, PASSWORD.toCharArray()).getEncoded()));
        return new ReplicationTls(cert, key, caPem);
    }

    private KeyStore load() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
                "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("keytool failed: " + command + "\n" + output);
        }
    }
}
