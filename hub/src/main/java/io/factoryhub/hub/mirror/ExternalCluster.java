package io.factoryhub.hub.mirror;

import io.factoryhub.hub.config.CredentialsFile;
import io.factoryhub.hub.config.HubConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How a client reaches the external (BI) cluster as one of its users: SASL_SSL, SCRAM-SHA-512, the CA as a PEM
 * trust store. The password comes from the configuration ({@code external.<role>.password}, or its environment
 * variable), else from {@code <data-dir>/credentials.properties}; it is never part of {@link #toString()}.
 */
public final class ExternalCluster {

    public static final String MECHANISM = "SCRAM-SHA-512";

    private final String bootstrapServers;
    private final Path caFile;
    private final String user;
    private final String password;

    public ExternalCluster(String bootstrapServers, Path caFile, String user, String password) {
        this.bootstrapServers = bootstrapServers;
        this.caFile = caFile;
        this.user = user;
        this.password = password;
    }

    /** The cluster as {@code role} (admin, mm2, bi) sees it, from the configuration and the credentials file. */
    public static ExternalCluster as(HubConfig config, String role) {
        CredentialsFile credentials = new CredentialsFile(config.getPath("factory.data-dir"));
        return new ExternalCluster(config.get("external.bootstrap-servers"), caFile(config),
                value(config, credentials, "external." + role + ".user"),
                value(config, credentials, "external." + role + ".password"));
    }

    /** {@code external.ca-file}, or the embedded plant's {@code <data-dir>/tls/ca.crt}. */
    public static Path caFile(HubConfig config) {
        String configured = config.get("external.ca-file");
        return configured.isBlank() ? config.getPath("factory.data-dir").resolve("tls").resolve("ca.crt") : config.getPath("external.ca-file");
    }

    private static String value(HubConfig config, CredentialsFile credentials, String key) {
        String configured = config.get(key);
        if (!configured.isBlank()) {
            return configured;
        }
        return credentials.get(key).orElseThrow(() -> new IllegalStateException(
                "No value for '" + key + "' in the configuration (" + HubConfig.envName(key) + ") or in " + credentials.path()));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String user() {
        return user;
    }

    /** Kafka client settings (admin, producer, consumer alike). */
    public Map<String, String> clientProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.putAll(securityProperties());
        return p;
    }

    /** Only the security part, for MirrorMaker's {@code <alias>.} cluster settings. */
    public Map<String, String> securityProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        p.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
        p.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caFile.toAbsolutePath().toString());
        return p;
    }

    @Override
    public String toString() {
        return "ExternalCluster[" + bootstrapServers + " as " + user + "]";
    }
}
