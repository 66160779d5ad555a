package io.factoryhub.hub.cdc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks with plain pgjdbc, before Debezium starts, what would otherwise fail deep inside the connector or —
 * worse — silently lose changes: wal_level, the replication privilege, the publication, the slot (in use, lost,
 * or gone while offsets say we streamed before). Each failure names what to change.
 */
public final class CdcPreflight {

    private static final Logger LOG = LoggerFactory.getLogger(CdcPreflight.class);

    private final CdcSettings settings;

    public CdcPreflight(CdcSettings settings) {
        this.settings = settings;
    }

    public void check() throws CdcConfigurationException {
        try (Connection c = connect()) {
            checkWalLevel(c);
            boolean superuser = checkReplicationPrivilege(c);
            checkPublication(c, superuser);
            checkSlot(c);
        } catch (SQLException e) {
            throw new CdcConfigurationException("Cannot check the MES database " + where() + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws CdcConfigurationException {
        Properties props = new Properties();
        props.setProperty("user", settings.user());
        props.setProperty("password", settings.password());
        props.setProperty("connectTimeout", "10");
        props.setProperty("ApplicationName", "factory-hub-cdc-preflight");
        try {
            return DriverManager.getConnection(settings.jdbcUrl(), props);
        } catch (SQLException e) {
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            String hint = switch (state) {
                case "28P01", "28000" -> "check mes.user / mes.password (MES_USER / MES_PASSWORD) and pg_hba.conf";
                case "3D000" -> "create the database or set mes.database";
                case "08001", "08004" -> "start PostgreSQL there or set mes.host / mes.port";
                default -> "check mes.host, mes.port, mes.database, mes.user, mes.password";
            };
            throw new CdcConfigurationException("MES CDC cannot connect to " + where() + ": " + e.getMessage() + " — " + hint, e);
        }
    }

    private void checkWalLevel(Connection c) throws SQLException, CdcConfigurationException {
        String walLevel = single(c, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            throw new CdcConfigurationException("MES CDC needs wal_level = logical, but " + where() + " has wal_level = "
                    + walLevel + ". Set it in postgresql.conf (or run ALTER SYSTEM SET wal_level = logical as superuser) "
                    + "and restart PostgreSQL.");
        }
    }

    /** @return whether the user is a superuser */
    private boolean checkReplicationPrivilege(Connection c) throws SQLException, CdcConfigurationException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT rolreplication, rolsuper FROM pg_roles WHERE rolname = current_user")) {
            rs.next();
            boolean replication = rs.getBoolean(1);
            boolean superuser = rs.getBoolean(2);
            if (!replication && !superuser) {
                throw new CdcConfigurationException("MES CDC needs the REPLICATION privilege, but user '" + settings.user()
                        + "' on " + where() + " lacks it. Run as superuser: ALTER ROLE \"" + settings.user()
                        + "\" WITH REPLICATION; (or set mes.user to a user that has it).");
            }
            return superuser;
        }
    }

    private void checkPublication(Connection c, boolean superuser) throws SQLException, CdcConfigurationException {
        String name = settings.publicationName();
        String mode = settings.publicationAutocreateMode();
        try (PreparedStatement ps = c.prepareStatement("SELECT puballtables FROM pg_publication WHERE pubname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if (!rs.getBoolean(1) && "all_tables".equals(mode)) {
                        LOG.warn("Publication {} is not FOR ALL TABLES: tables created later are not captured until added to it", name);
                    }
                    return;
                }
            }
        }
        String create = "CREATE PUBLICATION " + name + " FOR ALL TABLES;";
        if ("disabled".equals(mode)) {
            throw new CdcConfigurationException("MES CDC needs the publication '" + name + "' in database " + settings.database()
                    + ", which is missing (publication.autocreate.mode=disabled). Run as superuser in database "
                    + settings.database() + ": " + create + " — or set publication.name in " + "the Debezium configuration.");
        }
        if ("all_tables".equals(mode) && !superuser) {
            throw new CdcConfigurationException("MES CDC needs the publication '" + name + "' in database " + settings.database()
                    + ", which is missing, and user '" + settings.user() + "' cannot create a FOR ALL TABLES publication "
                    + "(superuser only). Run as superuser in database " + settings.database() + ": " + create);
        }
    }

    private void checkSlot(Connection c) throws SQLException, CdcConfigurationException {
        String slot = settings.slotName();
        Instant deadline = Instant.now().plus(settings.slotWait());
        while (true) {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT s.plugin, s.database, s.active, s.active_pid, s.wal_status, a.application_name, a.client_addr "
                            + "FROM pg_replication_slots s LEFT JOIN pg_stat_activity a ON a.pid = s.active_pid WHERE s.slot_name = ?")) {
                ps.setString(1, slot);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        checkOffsetsWithoutSlot(slot);
                        return;
                    }
                    String plugin = rs.getString("plugin");
                    if (!settings.plugin().equals(plugin)) {
                        throw new CdcConfigurationException("Replication slot '" + slot + "' on " + where() + " uses plugin " + plugin
                                + ", the Debezium configuration says plugin.name=" + settings.plugin()
                                + ". Set slot.name to a new slot, or drop it: SELECT pg_drop_replication_slot('" + slot + "');");
                    }
                    if (!settings.database().equals(rs.getString("database"))) {
                        throw new CdcConfigurationException("Replication slot '" + slot + "' belongs to database " + rs.getString("database")
                                + ", not " + settings.database() + ". Set slot.name in the Debezium configuration to a slot of its own.");
                    }
                    if ("lost".equals(rs.getString("wal_status"))) {
                        throw new CdcConfigurationException("Replication slot '" + slot + "' on " + where() + " is lost: PostgreSQL "
                                + "removed WAL it still needed (max_slot_wal_keep_size), so changes were lost to CDC. To start over with a "
                                + "new snapshot: SELECT pg_drop_replication_slot('" + slot + "'); and delete " + settings.offsetsFile()
                                + "; raise max_slot_wal_keep_size so it does not happen again.");
                    }
                    if (!rs.getBoolean("active")) {
                        return;
                    }
                    if (Instant.now().isAfter(deadline)) {
                        throw new CdcConfigurationException("Replication slot '" + slot + "' on " + where() + " is in use by process "
                                + rs.getInt("active_pid") + " (application '" + rs.getString("application_name") + "' from "
                                + rs.getString("client_addr") + "): another factory-hub or Debezium instance streams from it. Stop that "
                                + "instance, or give this one its own slot.name in the Debezium configuration (each slot delivers every "
                                + "change to exactly one reader).");
                    }
                }
            }
            sleep();
        }
    }

    /** Offsets say we streamed before, but the slot is gone: a new slot would start now and skip what happened in between. */
    private void checkOffsetsWithoutSlot(String slot) throws CdcConfigurationException {
        Path offsets = settings.offsetsFile();
        try {
            if (Files.isRegularFile(offsets) && Files.size(offsets) > 0) {
                throw new CdcConfigurationException("Replication slot '" + slot + "' no longer exists on " + where()
                        + ", but CDC streamed from it before (" + offsets + "): changes made since it was dropped cannot be "
                        + "recovered. To start over with a fresh snapshot of every table, delete " + offsets + " and restart.");
            }
        } catch (java.io.IOException e) {
            throw new CdcConfigurationException("Cannot read " + offsets + ": " + e.getMessage(), e);
        }
    }

    private String where() {
        return "PostgreSQL " + settings.host() + ":" + settings.port() + "/" + settings.database();
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
