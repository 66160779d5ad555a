package io.factoryhub.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.hub.cdc.CdcSettings;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.postgres.EmbeddedPostgres;
import io.factoryhub.testkit.Waits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A MES database of its own on the shared test PostgreSQL (schema + seed + publication, like the plant's), with the
 * repo's {@code cdc/debezium.properties} where topic prefix and slot are the database's name, so CDC tests never see
 * each other's topics or slots in the shared Kafka.
 */
public final class CdcTestDatabase implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TestPlant plant;
    private final String bootstrapServers;
    private final String name;
    private final Path dir;
    private final HubConfig config;
    private CdcEngine engine;

    private CdcTestDatabase(TestPlant plant, String bootstrapServers, String name, Path dir, HubConfig config) {
        this.plant = plant;
        this.bootstrapServers = bootstrapServers;
        this.name = name;
        this.dir = dir;
        this.config = config;
    }

    /** Debezium overrides on top of the repo's file, e.g. a shorter restart wait. */
    public static CdcTestDatabase create(TestPlant plant, String name, Map<String, String> debeziumOverrides) {
        return create(plant, name, debeziumOverrides, plant.bootstrapServers());
    }

    /** CDC into another Kafka than the plant's (e.g. one behind a proxy a fault test cuts). */
    public static CdcTestDatabase create(TestPlant plant, String name, Map<String, String> debeziumOverrides, String bootstrapServers) {
        try {
            EmbeddedPostgres pg = plant.postgres();
            pg.createDatabase(name);
            Path dir = Files.createTempDirectory("factory-hub-cdc-" + name);
            Properties debezium = CdcSettings.readProperties(HubUnderTest.REPO.resolve("cdc/debezium.properties"));
            debezium.setProperty("topic.prefix", name);
            debezium.setProperty("slot.name", name);
            // a lost connection is retried sooner than in production, to keep the tests short
            debezium.setProperty("retriable.restart.connector.wait.ms", "1000");
            debeziumOverrides.forEach(debezium::setProperty);
            Path file = dir.resolve("debezium.properties");
            try (Writer writer = Files.newBufferedWriter(file)) {
                debezium.store(writer, "cdc/debezium.properties with test overrides");
            }
            HubConfig config = HubConfig.defaults()
                    .with("factory.home", dir.toString())
                    .with("factory.data-dir", dir.resolve("data").toString())
                    .with("factory.cdc.config", file.toString())
                    .with("factory.cdc.slot-wait-ms", "20000")
                    .with("factory.kafka.bootstrap-servers", bootstrapServers)
                    .with("mes.host", "localhost")
                    .with("mes.port", Integer.toString(pg.port()))
                    .with("mes.database", name)
                    .with("mes.user", pg.user())
                    .with("mes.password", TestPlant.MES_PASSWORD);
            return new CdcTestDatabase(plant, bootstrapServers, name, dir, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public HubConfig config() {
        return config;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    /** The hub's configuration as a file, for the CLI ({@code --config}) and child processes. */
    public Path configFile() {
        Path file = dir.resolve("hub.properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            Properties p = new Properties();
            for (String key : new String[] {"factory.home", "factory.data-dir", "factory.cdc.config", "factory.cdc.slot-wait-ms",
                "factory.kafka.bootstrap-servers", "mes.host", "mes.port", "mes.database", "mes.user", "mes.password"}) {
                p.setProperty(key, config.get(key));
            }
            p.store(writer, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public String topic(String table) {
        return name + ".public." + table;
    }

    public Connection connect() throws SQLException {
        return plant.postgres().connect(name);
    }

    public void execute(String... statements) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** Starts CDC and waits until it streams (or failed). */
    public CdcEngine startEngine() {
        CdcEngine started = CdcEngine.start(config);
        engine = started;
        Waits.within(Duration.ofSeconds(60), Duration.ofMillis(100), () -> started.state() != CdcEngine.State.STARTING);
        return started;
    }

    public void stopEngine() {
        if (engine != null) {
            engine.close();
            engine = null;
        }
    }

    public KafkaRecords records(String table) {
        return new KafkaRecords(bootstrapServers, topic(table));
    }

    public static JsonNode json(ConsumerRecord<String, String> record) {
        try {
            return record.value() == null ? null : JSON.readTree(record.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Predicate<ConsumerRecord<String, String>> op(String op) {
        return r -> r.value() != null && op.equals(json(r).path("op").asText());
    }

    public static Predicate<ConsumerRecord<String, String>> key(String column, Object value) {
        return r -> {
            try {
                return r.key() != null && JSON.readTree(r.key()).path(column).asText().equals(String.valueOf(value));
            } catch (IOException e) {
                return false;
            }
        };
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Stops CDC and drops the slot, so the shared server keeps no WAL for a finished test. */
    @Override
    public void close() {
        stopEngine();
        try {
            plant.postgres().superuserUpdate("postgres", "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + name + "' AND NOT active");
        } catch (SQLException e) {
            // a test that killed its engine may leave the slot busy for a moment; the server goes away with the JVM
        }
    }
}
