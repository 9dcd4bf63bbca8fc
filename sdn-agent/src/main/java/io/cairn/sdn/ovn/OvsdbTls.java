package io.cairn.sdn.ovn;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Client credentials for an {@code ssl:} remote, the same three PEM files ovn-nbctl takes
 * (--private-key, --certificate, --ca-cert). The key must be PKCS#8 ("BEGIN PRIVATE KEY").
 *
 * <p>Like every OVS/OVN client, the server is trusted because its certificate chains to the CA,
 * not because of a host name in it: certificates made by ovs-pki carry no host names.
 */
public record OvsdbTls(Path privateKey, Path certificate, Path caCertificate) {

    SslContext clientContext() throws SSLException {
        for (Path p : new Path[] {privateKey, certificate, caCertificate}) {
            if (!Files.isReadable(p)) {
                throw new SSLException("cannot read " + p);
            }
        }
        return SslContextBuilder.forClient()
                .keyManager(certificate.toFile(), privateKey.toFile())
                .trustManager(caCertificate.toFile())
                .endpointIdentificationAlgorithm(null)
                .build();
    }
}
