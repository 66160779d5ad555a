package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.CdcTestDatabase;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.plant.postgres.EmbeddedPostgres;
import io.factoryhub.testkit.Waits;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An idle MES database must not pin WAL: while only other databases of the server are written, Debezium's
 * heartbeats still move the slot's confirmed position forward, so PostgreSQL can recycle the WAL behind it.
 */
class MesCdcHeartbeatTest {

    private static CdcTestDatabase db;

    @BeforeAll
    static void start() {
        db = CdcTestDatabase.create(TestPlant.shared(), "cdc_idle", Map.of("heartbeat.interval.ms", "1000"));
        CdcEngine engine = db.startEngine();
        assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> "CDC did not start: " + engine.failure().orElse(""));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void should_advance_the_slot_while_only_another_database_is_written() throws Exception {
        EmbeddedPostgres pg = TestPlant.shared().postgres();
        pg.superuserUpdate("postgres", "CREATE TABLE IF NOT EXISTS wal_filler (id bigserial PRIMARY KEY, payload text)");
        pg.superuserUpdate("postgres", "INSERT INTO wal_filler (payload) SELECT repeat('x', 200) FROM generate_series(1, 20000)");
        String written = currentWalLsn(pg);

        Waits.atMost(Duration.ofSeconds(45)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            long behind = bytesBehind(pg, written);
            assertTrue(behind <= 0, "slot cdc_idle still " + behind + " bytes behind WAL written by another database");
        });
    }

    private static String currentWalLsn(EmbeddedPostgres pg) throws SQLException {
        try (Connection c = pg.connectAsSuperuser("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** How far the slot's confirmed position is behind {@code lsn} (negative: past it). */
    private static long bytesBehind(EmbeddedPostgres pg, String lsn) throws SQLException {
        try (Connection c = pg.connectAsSuperuser("postgres"); PreparedStatement ps = c.prepareStatement(
                "SELECT pg_wal_lsn_diff(?::pg_lsn, confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = 'cdc_idle'")) {
            ps.setString(1, lsn);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "slot cdc_idle exists");
                return rs.getLong(1);
            }
        }
    }
}
