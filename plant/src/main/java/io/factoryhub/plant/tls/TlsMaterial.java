package io.factoryhub.plant.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The external cluster's TLS material in {@code <data-dir>/tls/}: a private CA ({@code ca.crt}, PEM, what clients
 * trust) and a broker certificate for localhost / 127.0.0.1 signed by it ({@code broker.crt} with the chain,
 * {@code broker.key}, PKCS#8), each file mode 0600 in a 0700 folder. Generated once; later runs reuse it (and tighten
 * the modes of material an earlier version wrote 0644), so clients keep trusting the same CA.
 * The CA's private key is not kept: nothing else is ever signed with it.
 */
public final class TlsMaterial {

    public static final String CA_FILE = "ca.crt";
    private static final String CERT_FILE = "broker.crt";
    private static final String KEY_FILE = "broker.key";
    private static final Duration VALIDITY = Duration.ofDays(3650);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path dir;

    public TlsMaterial(Path dir) {
        this.dir = dir;
    }

    /** Generates the CA and broker certificate unless they exist. */
    public TlsMaterial ensure() {
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR);
            if (Files.isRegularFile(caFile()) && Files.isRegularFile(certFile()) && Files.isRegularFile(keyFile())) {
                for (Path file : List.of(caFile(), certFile(), keyFile())) {
                    Files.setPosixFilePermissions(file, OWNER_ONLY_FILE);
                }
                return this;
            }
            KeyPair caKeys = rsa();
            X509CertificateHolder ca = caCertificate(caKeys);
            KeyPair brokerKeys = rsa();
            X509CertificateHolder broker = brokerCertificate(brokerKeys, ca, caKeys);
            // PKCS#8 ("PRIVATE KEY"): the form Kafka's PEM key store reads
            write(keyFile(), pem(new PemObject("PRIVATE KEY", brokerKeys.getPrivate().getEncoded())));
            write(certFile(), pem(broker) + pem(ca));
            write(caFile(), pem(ca));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write TLS material to " + dir, e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("Cannot generate TLS material", e);
        }
        return this;
    }

    public Path caFile() {
        return dir.resolve(CA_FILE);
    }

    public Path certFile() {
        return dir.resolve(CERT_FILE);
    }

    public Path keyFile() {
        return dir.resolve(KEY_FILE);
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048, RANDOM);
        return generator.generateKeyPair();
    }

    private static X509CertificateHolder caCertificate(KeyPair keys) throws GeneralSecurityException, OperatorCreationException,
            IOException {
        X500Name name = new X500Name("CN=factory-hub external cluster CA");
        X509v3CertificateBuilder builder = builder(name, name, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
        return builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
    }

    private static X509CertificateHolder brokerCertificate(KeyPair keys, X509CertificateHolder ca, KeyPair caKeys)
            throws GeneralSecurityException, OperatorCreationException, IOException {
        X509v3CertificateBuilder builder = builder(ca.getSubject(), new X500Name("CN=localhost"), keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        builder.addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        // clients verify the host name (Kafka's default https identification, kcat's too): both ways of saying loopback
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(caKeys.getPublic()));
        return builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKeys.getPrivate()));
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
    }

    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        if (object instanceof PemObject pemObject) {
            try (PemWriter writer = new PemWriter(out)) {
                writer.writeObject(pemObject);
            }
        } else {
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(object);
            }
        }
        return out.toString();
    }

    /** Created 0600 before the first byte is written, and moved in place: never readable by others, nor half written. */
    private static void write(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
