package io.cairn.cluster.replication;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * TLS for replication, mutual: each node presents its certificate, and accepts only peers whose
 * certificate the configured CA signed.
 *
 * <p>A subscriber also checks that the origin's certificate names the host it dialled, the host
 * of the endpoint the origin published (RFC 6125 / RFC 2818 section 3.1 rules, as HTTPS does: a
 * subjectAltName IP entry for an address, a DNS entry for a name), so a certificate stolen from
 * one member cannot serve another's endpoint. The origin cannot do the same for a subscriber
 * (nothing names the address it dials from): it pins the CA, so any certificate the CA signed
 * may subscribe. Use a CA that signs the cluster's members and nothing else.
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
