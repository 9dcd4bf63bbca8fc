package io.cairn.cluster.replication;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * TLS for replication, mutual: each node presents its certificate, and accepts only peers whose
 * certificate the configured CA signed. Clients also check the origin's certificate names the
 * address they dialled (a subjectAltName IP or DNS entry for the published endpoint host).
 *
 * @param certificate PEM certificate chain of this node
 * @param key         PEM PKCS#8 private key of the certificate
 * @param ca          PEM certificates of the CA(s) that sign members' certificates
 */
public record ReplicationTls(Path certificate, Path key, Path ca) {

    public SslContext serverContext() throws SSLException {
        checkReadable();
        return SslContextBuilder.forServer(certificate.toFile(), key.toFile())
                .trustManager(ca.toFile())
                .clientAuth(ClientAuth.REQUIRE)
                .build();
    }

    public SslContext clientContext() throws SSLException {
        checkReadable();
        return SslContextBuilder.forClient()
                .keyManager(certificate.toFile(), key.toFile())
                .trustManager(ca.toFile())
                .endpointIdentificationAlgorithm("HTTPS")
                .build();
    }

    /** Netty's own message for a missing file does not say which of the three it was. */
    private void checkReadable() throws SSLException {
        for (Path p : new Path[] {certificate, key, ca}) {
            if (!Files.isReadable(p)) {
                throw new SSLException("replication TLS file " + p + " is missing or unreadable");
            }
        }
    }
}
