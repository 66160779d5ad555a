package io.factoryhub.hub.opcua;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Optional;

import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

/** The client's application instance certificate: secured policies need one; an ephemeral self-signed one the server must trust. */
record ClientCertificate(KeyPair keyPair, X509Certificate certificate) {

    /** None for policy {@code None}; otherwise a fresh RSA 2048 key pair and certificate. */
    static Optional<ClientCertificate> forPolicy(String securityPolicy) {
        if ("None".equals(securityPolicy)) {
            return Optional.empty();
        }
        try {
            KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                    .setCommonName(ClientIdentity.APPLICATION_NAME)
                    .setApplicationUri(ClientIdentity.APPLICATION_URI)
                    .build();
            return Optional.of(new ClientCertificate(keyPair, certificate));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create a client certificate", e);
        }
    }

    void applyTo(OpcUaClientConfigBuilder builder) {
        builder.setKeyPair(keyPair).setCertificate(certificate).setCertificateChain(new X509Certificate[] {certificate});
    }
}
