package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.CdcTestDatabase;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.hub.cdc.CdcConfigurationException;
import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.hub.cdc.CdcPreflight;
import io.factoryhub.hub.cdc.CdcSettings;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.postgres.EmbeddedPostgres;
import io.factoryhub.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.replication.PGReplicationStream;

/** Each way the MES database can be unfit for CDC stops it with a message that says what to change. */
class MesCdcMisconfigurationTest {

    private static CdcTestDatabase db;

    @BeforeAll
    static void database() {
        db = CdcTestDatabase.create(TestPlant.shared(), "cdc_misconfig", Map.of());
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    @Test
    void should_name_wal_level_when_it_is_not_logical(@TempDir Path dir) throws Exception {
        Path cdc = HubUnderTest.REPO.resolve("cdc");
        try (EmbeddedPostgres replica = new EmbeddedPostgres(dir.resolve("postgres"), FreePorts.next(), "mes", "mes",
                TestPlant.MES_PASSWORD, TestPlant.POSTGRES_SUPERUSER_PASSWORD, "dbz_mes", List.of(cdc.resolve("mes-schema.sql"))).setting("wal_level", "replica").start()) {
            String message = failure(db.config().with("mes.port", Integer.toString(replica.port())).with("mes.database", "mes"));
            assertTrue(message.contains("wal_level = logical") && message.contains("wal_level = replica")
                    && message.contains("restart PostgreSQL"), message);
        }
    }

    @Test
    void should_name_the_missing_replication_privilege() throws Exception {
        EmbeddedPostgres pg = TestPlant.shared().postgres();
        pg.superuserUpdate("postgres", "DROP ROLE IF EXISTS reporting");
        pg.superuserUpdate("postgres", "CREATE ROLE reporting LOGIN PASSWORD 'reporting-pw'");
        String message = failure(db.config().with("mes.user", "reporting").with("mes.password", "reporting-pw"));
        assertTrue(message.contains("REPLICATION") && message.contains("ALTER ROLE \"reporting\" WITH REPLICATION"), message);
    }

    @Test
    void should_name_the_missing_publication() throws Exception {
        String disabled = failure(withDebezium(Map.of("publication.name", "mes_changes", "publication.autocreate.mode", "disabled")));
        assertTrue(disabled.contains("publication 'mes_changes'") && disabled.contains("CREATE PUBLICATION mes_changes FOR ALL TABLES"), disabled);
        // all_tables would make Debezium create it, but only a superuser may
        String notSuperuser = failure(withDebezium(Map.of("publication.name", "mes_changes")));
        assertTrue(notSuperuser.contains("superuser") && notSuperuser.contains("CREATE PUBLICATION mes_changes"), notSuperuser);
    }

    @Test
    void should_name_the_process_holding_the_slot() throws Exception {
        db.execute("SELECT pg_create_logical_replication_slot('busy_slot', 'pgoutput')");
        try (Connection c = replicationConnection(); PGReplicationStream held = c.unwrap(PGConnection.class).getReplicationAPI()
                .replicationStream().logical().withSlotName("busy_slot")
                .withSlotOption("proto_version", "1").withSlotOption("publication_names", "dbz_mes").start()) {
            String message = failure(withDebezium(Map.of("slot.name", "busy_slot")).with("factory.cdc.slot-wait-ms", "1000"));
            assertTrue(message.contains("'busy_slot'") && message.contains("in use by process")
                    && message.contains("give this one its own slot.name"), message);
        } finally {
            db.execute("SELECT pg_drop_replication_slot('busy_slot')");
        }
    }

    @Test
    void should_refuse_to_start_over_silently_when_the_slot_is_gone() throws Exception {
        HubConfig config = withDebezium(Map.of("slot.name", "dropped_slot"));
        Path offsets = CdcSettings.from(config).offsetsFile();
        Files.createDirectories(offsets.getParent());
        Files.writeString(offsets, "offsets of an earlier run");
        try {
            String message = failure(config);
            assertTrue(message.contains("'dropped_slot' no longer exists") && message.contains("delete " + offsets), message);
        } finally {
            Files.delete(offsets);
        }
    }

    @Test
    void should_name_a_slot_that_postgres_gave_up(@TempDir Path dir) throws Exception {
        Path cdc = HubUnderTest.REPO.resolve("cdc");
        // a server that keeps at most 1 MB of WAL for a lagging slot, so it gives the slot up after a few segments
        try (EmbeddedPostgres small = new EmbeddedPostgres(dir.resolve("postgres"), FreePorts.next(), "mes", "mes",
                TestPlant.MES_PASSWORD, TestPlant.POSTGRES_SUPERUSER_PASSWORD, "dbz_mes", List.of(cdc.resolve("mes-schema.sql"))).setting("max_slot_wal_keep_size", "1MB").start()) {
            HubConfig config = db.config().with("mes.port", Integer.toString(small.port())).with("mes.database", "mes");
            String slot = CdcSettings.from(config).slotName();
            small.superuserUpdate("mes", "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
            for (int segment = 0; segment < 8 && !"lost".equals(walStatus(small, slot)); segment++) {
                small.superuserUpdate("mes", "CREATE TABLE IF NOT EXISTS filler (payload text)");
                small.superuserUpdate("mes", "INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 2000)");
                small.superuserUpdate("mes", "SELECT pg_switch_wal()");
                small.superuserUpdate("mes", "CHECKPOINT");
            }
            assertEquals("lost", walStatus(small, slot), "precondition: PostgreSQL gave the slot up");
            String message = failure(config);
            assertTrue(message.contains("'" + slot + "'") && message.contains("is lost")
                    && message.contains("pg_drop_replication_slot") && message.contains("max_slot_wal_keep_size"), message);
        }
    }

    private static String walStatus(EmbeddedPostgres pg, String slot) throws Exception {
        try (Connection c = pg.connectAsSuperuser("mes"); var s = c.createStatement();
             var rs = s.executeQuery("SELECT wal_status FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void should_stop_cdc_but_not_throw_when_misconfigured() {
        CdcEngine engine = CdcEngine.start(db.config().with("mes.password", "wrong"));
        assertEquals(CdcEngine.State.FAILED, engine.state());
        String message = engine.failure().orElseThrow();
        assertTrue(message.contains("password authentication failed") && message.contains("mes.password"), message);
        engine.close();
    }

    private static HubConfig withDebezium(Map<String, String> overrides) throws Exception {
        Path file = Files.createTempFile(db.dir(), "debezium", ".properties");
        java.util.Properties p = CdcSettings.readProperties(Path.of(db.config().get("factory.cdc.config")));
        overrides.forEach(p::setProperty);
        try (var writer = Files.newBufferedWriter(file)) {
            p.store(writer, null);
        }
        return db.config().with("factory.cdc.config", file.toString());
    }

    private static String failure(HubConfig config) {
        return assertThrows(CdcConfigurationException.class, () -> new CdcPreflight(CdcSettings.from(config)).check()).getMessage();
    }

    private static Connection replicationConnection() throws Exception {
        java.util.Properties props = new java.util.Properties();
        props.setProperty("user", "mes");
        props.setProperty("password", TestPlant.MES_PASSWORD);
        props.setProperty("replication", "database");
        props.setProperty("assumeMinServerVersion", "9.4");
        props.setProperty("preferQueryMode", "simple");
        return java.sql.DriverManager.getConnection("jdbc:postgresql://localhost:" + TestPlant.shared().postgres().port()
                + "/" + db.name(), props);
    }
}
