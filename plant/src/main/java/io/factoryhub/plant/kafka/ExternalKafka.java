package io.factoryhub.plant.kafka;

import io.factoryhub.plant.tls.TlsMaterial;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The external (BI) cluster: a real single-node KRaft broker whose only client listener is SASL_SSL with
 * SCRAM-SHA-512, authorized by the StandardAuthorizer (no ACL, no access). TLS material comes from
 * {@link TlsMaterial} in {@code tlsDir}; the users are written into the metadata log when the log directory is
 * first formatted (a SCRAM-only broker cannot create them later without a user to log in with).
 *
 * <p>The admin is the only super user reachable on the client listener. The KRaft controller listener (127.0.0.1)
 * is SSL with client certificates required: only the broker itself, with its own certificate from {@link TlsMaterial}
 * (principal {@code User:CN=localhost}, the other super user), gets in. Were it PLAINTEXT, its connections would
 * authenticate as {@code User:ANONYMOUS}, which would need super-user rights for the broker to register with its
 * controller, and then anyone on this host could create topics, ACLs and users through that port. SCRAM is no option
 * there: KRaft controllers cannot authenticate with it (its credentials live in the metadata they serve).
 */
public final class ExternalKafka implements AutoCloseable {

    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final String LISTENER = "EXTERNAL";
    private static final String CONTROLLER = "CONTROLLER";
    /** The broker's certificate subject ({@link TlsMaterial}) as Kafka names an SSL principal. */
    private static final String BROKER_PRINCIPAL = "User:CN=localhost";

    /** A SCRAM user; the password never leaves memory (and the metadata log, hashed). */
    public record User(String name, String password) {
        /** Characters that would end the kafka-storage SCRAM argument or the JAAS string early are refused. */
        private static final Pattern SAFE = Pattern.compile("[\\x21-\\x7e&&[^\"\\\\,=\\[\\]]]+");

        public User {
            if (!SAFE.matcher(name).matches() || !SAFE.matcher(password).matches()) {
                // the message never contains the password
                throw new IllegalArgumentException("external cluster user '" + name + "': user names and passwords may use "
                        + "printable ASCII except spaces and \" \\ , = [ ]");
            }
        }

        @Override
        public String toString() {
            return "User[" + name + "]";
        }
    }

    private final EmbeddedKafka kafka;
    private final int port;

    /**
     * @param users every user to create on first start, the admin included
     */
    public ExternalKafka(Path logDir, TlsMaterial tls, int port, int controllerPort, int nodeId, User admin, List<User> users) {
        this.port = port;
        this.kafka = new EmbeddedKafka(logDir, port, controllerPort, nodeId, securityProperties(tls, port, controllerPort, admin),
                scramArguments(users));
    }

    public ExternalKafka start() throws Exception {
        kafka.start();
        return this;
    }

    /** {@code localhost:<port>}: the name the broker certificate is issued for. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        kafka.close();
    }

    private static Map<String, String> securityProperties(TlsMaterial tls, int port, int controllerPort, User admin) {
        String prefix = "listener.name." + LISTENER.toLowerCase() + ".";
        Map<String, String> p = new HashMap<>();
        p.put("listeners", LISTENER + "://127.0.0.1:" + port + "," + CONTROLLER + "://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", LISTENER + "://localhost:" + port);
        p.put("listener.security.protocol.map", LISTENER + ":SASL_SSL," + CONTROLLER + ":SSL");
        p.put("listener.name." + CONTROLLER.toLowerCase() + ".ssl.client.auth", "required");
        p.put("inter.broker.listener.name", LISTENER);
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        // the broker is a client of its own listeners too: on EXTERNAL it logs in as the admin, on CONTROLLER with its
        // certificate (the key store below); it trusts the same CA
        p.put(prefix + MECHANISM.toLowerCase() + ".sasl.jaas.config", jaas(admin));
        p.put("ssl.keystore.type", "PEM");
        p.put("ssl.keystore.certificate.chain", read(tls.certFile()));
        p.put("ssl.keystore.key", read(tls.keyFile()));
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", tls.caFile().toAbsolutePath().toString());
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        // user names cannot contain '=' (User), so no SCRAM login can be the broker's principal
        p.put("super.users", "User:" + admin.name() + ";" + BROKER_PRINCIPAL);
        return p;
    }

    /** The broker's own login, in JAAS form; a Password-typed broker setting, so Kafka never logs it. */
    private static String jaas(User user) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user.name()
                + "\" password=\"" + user.password() + "\";";
    }

    private static List<String> scramArguments(List<User> users) {
        List<String> arguments = new ArrayList<>();
        for (User user : users) {
            arguments.add(MECHANISM + "=[name=" + user.name() + ",password=" + user.password() + "]");
        }
        return arguments;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
