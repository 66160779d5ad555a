package io.factoryhub.plant.opcua;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;

import org.eclipse.milo.opcua.stack.core.security.CertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.KeyStoreCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;

/**
 * The simulator's PKI below one directory: a PKCS#12 key store with a self-signed application
 * certificate (generated on first start, reused afterwards so clients that pinned it keep working
 * across restarts), plus Milo's file-based trust list ({@code trusted/}, {@code issuers/}) and
 * {@code rejected/} quarantine.
 */
final class ServerPki {

    // A simulator's key store; the password only satisfies the PKCS#12 format, it protects nothing.
    private static final char[] PASSWORD = "factory-hub-sim".toCharArray();

    private ServerPki() {
    }

    static CertificateManager create(Path pkiDir, String applicationUri) throws Exception {
        Files.createDirectories(pkiDir);
        var trustList = FileBasedTrustListManager.createAndInitialize(pkiDir);
        var quarantine = FileBasedCertificateQuarantine.create(pkiDir.resolve("rejected").resolve("certs"));
        var store = KeyStoreCertificateStore.createAndInitialize(new KeyStoreCertificateStore.Settings(
                pkiDir.resolve("application.pfx"), () -> PASSWORD, alias -> PASSWORD));
        var factory = new RsaSha256CertificateFactory() {
            @Override
            protected X509Certificate[] createRsaSha256CertificateChain(KeyPair keyPair) throws Exception {
                X509Certificate certificate = new SelfSignedCertificateBuilder(keyPair)
                        .setCommonName("factory-hub plant simulator")
                        .setOrganization("factory-hub")
                        .setApplicationUri(applicationUri)
                        .addDnsName("localhost")
                        .addIpAddress("127.0.0.1")
                        .build();
                return new X509Certificate[] {certificate};
            }
        };
        var validator = new DefaultServerCertificateValidator(trustList, quarantine);
        var group = DefaultApplicationGroup.createAndInitialize(trustList, store, factory, validator);
        return new DefaultCertificateManager(quarantine, group);
    }
}
