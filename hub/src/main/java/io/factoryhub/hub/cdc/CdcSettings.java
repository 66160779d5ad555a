package io.factoryhub.hub.cdc;

import io.factoryhub.hub.TopicReplication;
import io.factoryhub.hub.config.CredentialsFile;
import io.factoryhub.hub.config.HubConfig;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * The Debezium engine's properties: {@code cdc/debezium.properties} (Debezium's own names, no secrets) plus what
 * only the hub's configuration knows: where the MES database is, its credentials and the offsets file.
 *
 * @param debezium    the engine's properties, connection included
 * @param offsetsFile where the engine keeps its position (in the data dir, so restarts resume)
 * @param slotWait    how long a slot still held by a previous (killed) instance is waited for
 * @param stopTimeout how long close waits for the batch in flight and the last offset commit
 */
public record CdcSettings(Properties debezium, Path offsetsFile, Duration slotWait, Duration stopTimeout,
                          TopicReplication topicReplication) {

    public String host() {
        return debezium.getProperty("database.hostname");
    }

    public int port() {
        return Integer.parseInt(debezium.getProperty("database.port"));
    }

    public String database() {
        return debezium.getProperty("database.dbname");
    }

    public String user() {
        return debezium.getProperty("database.user");
    }

    String password() {
        return debezium.getProperty("database.password");
    }

    public String slotName() {
        return debezium.getProperty("slot.name", "debezium");
    }

    public String publicationName() {
        return debezium.getProperty("publication.name", "dbz_publication");
    }

    public String publicationAutocreateMode() {
        return debezium.getProperty("publication.autocreate.mode", "all_tables");
    }

    public String plugin() {
        return debezium.getProperty("plugin.name", "decoderbufs");
    }

    public String topicPrefix() {
        return debezium.getProperty("topic.prefix");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database();
    }

    public static CdcSettings from(HubConfig config) {
        Path file = config.getPath("factory.cdc.config");
        Properties debezium = readProperties(file);
        Path dataDir = config.getPath("factory.data-dir");
        Path offsets = dataDir.resolve("cdc").resolve("offsets.dat");
        debezium.setProperty("database.hostname", config.get("mes.host"));
        debezium.setProperty("database.port", config.get("mes.port"));
        debezium.setProperty("database.dbname", config.get("mes.database"));
        debezium.setProperty("database.user", config.get("mes.user"));
        debezium.setProperty("database.password", password(config, dataDir));
        debezium.putIfAbsent("offset.storage", AtomicFileOffsetBackingStore.class.getName());
        debezium.setProperty("offset.storage.file.filename", offsets.toString());
        for (String required : new String[] {"connector.class", "topic.prefix", "name"}) {
            if (debezium.getProperty(required, "").isBlank()) {
                throw new IllegalArgumentException(file + ": property '" + required + "' is required");
            }
        }
        return new CdcSettings(debezium, offsets, Duration.ofMillis(config.getInt("factory.cdc.slot-wait-ms")),
                Duration.ofMillis(config.getInt("factory.cdc.stop-timeout-ms")), TopicReplication.from(config));
    }

    /** {@code mes.password} from configuration/environment, else the one the embedded plant generated. */
    private static String password(HubConfig config, Path dataDir) {
        String configured = config.get("mes.password");
        if (!configured.isBlank()) {
            return configured;
        }
        CredentialsFile credentials = new CredentialsFile(dataDir);
        return credentials.get("mes.password").orElseThrow(() -> new IllegalArgumentException(
                "No password for the MES database: set mes.password (environment MES_PASSWORD) or start the embedded "
                        + "plant once, which writes it to " + credentials.path()));
    }

    /** A Debezium properties file (cdc/debezium.properties or a site's own), as it is. */
    public static Properties readProperties(Path file) {
        return io.factoryhub.hub.config.PropertiesFile.load(file, "Debezium configuration (factory.cdc.config)");
    }
}
