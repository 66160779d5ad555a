package io.factoryhub.plant.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.testkit.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {

    private static final Path CDC = Path.of("..", "cdc");
    private static final String SUPERUSER_PASSWORD = "superuser-pw";

    @Test
    void should_create_the_mes_database_once_and_keep_it_across_restarts(@TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        try (EmbeddedPostgres pg = postgres(dir, port, "s3cret'pw").start()) {
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                assertEquals("logical", single(s, "SHOW wal_level"));
                assertEquals("t", single(s, "SELECT rolreplication FROM pg_roles WHERE rolname = current_user"));
                assertEquals("f", single(s, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"));
                assertEquals("6", single(s, "SELECT count(*) FROM equipment"));
                assertEquals("f", single(s, "SELECT relreplident FROM pg_class WHERE relname = 'work_orders'"));
                assertEquals("t", single(s, "SELECT puballtables FROM pg_publication WHERE pubname = 'dbz_mes'"));
                s.executeUpdate("INSERT INTO products VALUES ('TST-1', 'test', 'pcs', 1000, 1.0)");
            }
        }
        // a restart keeps the data, and a changed password is taken
        try (EmbeddedPostgres pg = postgres(dir, port, "other").start();
             Connection c = pg.connect(); Statement s = c.createStatement()) {
            assertEquals("4", single(s, "SELECT count(*) FROM products"));
        }
    }

    @Test
    void should_refuse_a_wrong_password(@TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        try (EmbeddedPostgres pg = postgres(dir, port, "right").start()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl(), "mes", "wrong").close());
            assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        }
    }

    @Test
    void should_trust_nobody_not_even_the_superuser_on_loopback(@TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        try (EmbeddedPostgres pg = postgres(dir, port, "right").start()) {
            assertNoTrust(pg, Map.of("mes", "right", "postgres", SUPERUSER_PASSWORD));
        }
    }

    @Test
    void should_give_the_superuser_of_an_earlier_data_dir_a_password_and_then_trust_nobody(@TempDir Path dir) throws Exception {
        int port = FreePorts.next();
        try (EmbeddedPostgres pg = postgres(dir, port, "right").start()) {
            // what an earlier version left: a superuser without a password (it was trusted from loopback)
            pg.superuserUpdate("postgres", "ALTER ROLE postgres PASSWORD NULL");
        }
        Files.delete(dir.resolve("postgres").resolve("factory-hub-superuser-password"));
        try (EmbeddedPostgres pg = postgres(dir, port, "right").start()) {
            assertNoTrust(pg, Map.of("mes", "right", "postgres", SUPERUSER_PASSWORD));
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                assertEquals("6", single(s, "SELECT count(*) FROM equipment"), "the data is kept");
            }
        }
    }

    /** Each user logs in with its password only, by address and by name; every rule the server loaded asks for SCRAM. */
    private static void assertNoTrust(EmbeddedPostgres pg, Map<String, String> passwords) throws Exception {
        for (String host : List.of("127.0.0.1", "localhost")) {
            String url = "jdbc:postgresql://" + host + ":" + pg.port() + "/" + pg.database();
            for (Map.Entry<String, String> user : passwords.entrySet()) {
                SQLException none = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, user.getKey(), null).close(),
                        user.getKey() + " without a password on " + host);
                assertTrue(none.getMessage().contains("no password was provided"), none.getMessage());
                SQLException wrong = assertThrows(SQLException.class,
                        () -> DriverManager.getConnection(url, user.getKey(), "wrong").close(), user.getKey() + " with a wrong password");
                assertTrue(wrong.getMessage().contains("password authentication failed"), wrong.getMessage());
                DriverManager.getConnection(url, user.getKey(), user.getValue()).close();
            }
        }
        try (Connection c = pg.connectAsSuperuser("postgres"); Statement s = c.createStatement()) {
            assertEquals("scram-sha-256", single(s, "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules"));
            assertEquals("4", single(s, "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'host'"));
            assertEquals("2", single(s, "SELECT count(*) FROM pg_hba_file_rules WHERE type = 'local'"));
        }
    }

    private static EmbeddedPostgres postgres(Path dir, int port, String password) {
        return new EmbeddedPostgres(dir.resolve("postgres"), port, "mes", "mes", password, SUPERUSER_PASSWORD, "dbz_mes",
                List.of(CDC.resolve("mes-schema.sql"), CDC.resolve("mes-seed.sql")));
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static {
        assertTrue(Files.isDirectory(CDC), "run from the plant module");
    }
}
