package io.factoryhub.plant.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MES database of the embedded plant: a real PostgreSQL 14 (zonky's binaries from Maven) with
 * {@code wal_level=logical}, its data in {@code dataDir} so it survives restarts. On the first start it creates
 * the MES user (LOGIN REPLICATION, password authentication), the database owned by it, applies the init
 * scripts (schema, seed) as that user and creates the publication for all tables as superuser.
 *
 * <p>Nobody is trusted, not even from loopback: every pg_hba line asks for a SCRAM password, the superuser's too
 * (zonky's initdb trusts everyone on the host, so any local user could have logged in as {@code postgres}). The
 * superuser's password is set by initdb on a new data dir; a data dir of an earlier version, whose superuser has
 * none, trusts the superuser once, on loopback, until the password is set, then reloads the strict rules.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    /** Written after the init scripts succeeded: without it the database is created again from scratch. */
    private static final String INITIALIZED_MARKER = "factory-hub-initialized";
    /** Written once the superuser has a password: from then on nobody is trusted. */
    private static final String SUPERUSER_PASSWORD_MARKER = "factory-hub-superuser-password";
    private static final String SUPERUSER = "postgres";

    private final Path dataDir;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final String superuserPassword;
    private final String publication;
    private final List<Path> initScripts;
    private final Map<String, String> settings = new LinkedHashMap<>(Map.of(
            "wal_level", "logical", "max_wal_senders", "10", "max_replication_slots", "10",
            "password_encryption", "scram-sha-256",
            // zonky runs a test database (-F, synchronous_commit=off): the MES's commits must be durable once
            // acknowledged; a -c setting after -F wins
            "synchronous_commit", "on", "fsync", "on"));
    private volatile io.zonky.test.db.postgres.embedded.EmbeddedPostgres postgres;
    /**
     * The server is a child process and would outlive the JVM (holding its port and data dir) when the JVM stops
     * before anyone closed it, e.g. Ctrl-C during startup. The hook gives the orderly shutdown (hub first) time,
     * then stops the server itself.
     */
    private final Thread shutdownHook = new Thread(this::stopWhenLeftRunning, "embedded-postgres-stop");
    private boolean hookRegistered;

    /**
     * @param password          the MES user's
     * @param superuserPassword the superuser's ({@code postgres}), for the plant's own administration
     */
    public EmbeddedPostgres(Path dataDir, int port, String database, String user, String password, String superuserPassword,
                            String publication, List<Path> initScripts) {
        this.dataDir = dataDir;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.superuserPassword = superuserPassword;
        this.publication = publication;
        this.initScripts = List.copyOf(initScripts);
    }

    /** A server setting (postgresql.conf) other than the defaults; before {@link #start()}. */
    public EmbeddedPostgres setting(String name, String value) {
        settings.put(name, value);
        return this;
    }

    public synchronized EmbeddedPostgres start() throws IOException, SQLException {
        Files.createDirectories(dataDir);
        long started = System.nanoTime();
        boolean created = !Files.exists(dataDir.resolve("postgresql.conf"));
        boolean superuserWithoutPassword = !created && !Files.exists(dataDir.resolve(SUPERUSER_PASSWORD_MARKER));
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder();
        settings.forEach(builder::setServerConfig);
        // zonky's readiness check logs in as the superuser
        builder.setConnectConfig("password", superuserPassword);
        Path passwordFile = dataDir.resolveSibling(dataDir.getFileName() + ".superuser-password");
        if (created) {
            writePasswordFile(passwordFile);
            // zonky passes its "locale" settings to initdb as --name=value
            builder.setLocaleConfig("pwfile", passwordFile.toAbsolutePath().toString());
        }
        try {
            postgres = builder
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false) // the plant stops it, after the hub; see shutdownHook
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setDataDirectoryCustomizer(dir -> writeHba(dir.toPath(), superuserWithoutPassword))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new IOException("PostgreSQL in " + dataDir + " did not start or refused the superuser's password (see "
                    + logFile() + "): " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(passwordFile);
        }
        if (superuserWithoutPassword) {
            superuserUpdate(SUPERUSER, "ALTER ROLE " + SUPERUSER + " PASSWORD " + literal(superuserPassword));
            writeHba(dataDir, false);
            superuserUpdate(SUPERUSER, "SELECT pg_reload_conf()");
            LOG.info("PostgreSQL data dir {} of an earlier version: the superuser has a password now, nobody is trusted", dataDir);
        }
        Files.writeString(dataDir.resolve(SUPERUSER_PASSWORD_MARKER), "the superuser authenticates with a password\n");
        if (!hookRegistered) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
            hookRegistered = true;
        }
        if (!Files.exists(dataDir.resolve(INITIALIZED_MARKER))) {
            initialize();
            Files.writeString(dataDir.resolve(INITIALIZED_MARKER), "database " + database + " user " + user + "\n");
        } else {
            // the configured password wins, also after it was changed
            superuserUpdate(SUPERUSER, "ALTER ROLE " + ident(user) + " PASSWORD " + literal(password));
        }
        LOG.info("PostgreSQL on localhost:{} database={} user={} data={} started in {} ms", port, database, user, dataDir,
                (System.nanoTime() - started) / 1_000_000);
        return this;
    }

    /** The server's own log, next to its data folder. */
    public Path logFile() {
        return dataDir.resolveSibling("postgres.log");
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    /** A connection to the MES database as the MES user. */
    public Connection connect() throws SQLException {
        return connect(database);
    }

    /** A connection to database {@code db} as the MES user. */
    public Connection connect(String db) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + db, props);
    }

    /** A connection as the superuser (loopback only, password): for administration the MES user must not do. */
    public Connection connectAsSuperuser(String db) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/" + db, SUPERUSER, superuserPassword);
    }

    private void initialize() throws SQLException, IOException {
        try (Connection c = connectAsSuperuser(SUPERUSER); Statement s = c.createStatement();
             var exists = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = " + literal(user))) {
            String verb = exists.next() ? "ALTER" : "CREATE";
            s.executeUpdate(verb + " ROLE " + ident(user) + " WITH LOGIN REPLICATION PASSWORD " + literal(password));
        }
        createDatabase(database);
    }

    /**
     * A new database {@code name} owned by the MES user, with the init scripts applied and the publication for all
     * tables (an existing one of that name is dropped first). The plant's own is {@code database}; tests make more.
     */
    public void createDatabase(String name) throws SQLException, IOException {
        superuserUpdate(SUPERUSER, "DROP DATABASE IF EXISTS " + ident(name));
        superuserUpdate(SUPERUSER, "CREATE DATABASE " + ident(name) + " OWNER " + ident(user));
        try (Connection c = connect(name)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (Path script : initScripts) {
                    s.execute(Files.readString(script));
                    LOG.info("Applied {} to database {}", script.getFileName(), name);
                }
            }
            c.commit();
        }
        // FOR ALL TABLES needs a superuser; the MES user stays a plain owner with REPLICATION
        superuserUpdate(name, "CREATE PUBLICATION " + ident(publication) + " FOR ALL TABLES");
    }

    /** Runs one statement as superuser in database {@code db}. */
    public void superuserUpdate(String db, String sql) throws SQLException {
        try (Connection c = connectAsSuperuser(db); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Loopback only, and a SCRAM password for everyone on every line (Unix socket, IPv4, IPv6, replication).
     * {@code trustSuperuser}: only for the one start that gives an earlier version's superuser its password.
     */
    private static void writeHba(Path dir, boolean trustSuperuser) {
        List<String> lines = new ArrayList<>(List.of("# written by factory-hub's embedded plant: nobody is trusted"));
        if (trustSuperuser) {
            lines.add("host    all          " + SUPERUSER + "  127.0.0.1/32   trust");
            lines.add("host    all          " + SUPERUSER + "  ::1/128        trust");
        }
        lines.addAll(List.of(
                "local   all          all                      scram-sha-256",
                "local   replication  all                      scram-sha-256",
                "host    all          all       127.0.0.1/32   scram-sha-256",
                "host    all          all       ::1/128        scram-sha-256",
                "host    replication  all       127.0.0.1/32   scram-sha-256",
                "host    replication  all       ::1/128        scram-sha-256",
                ""));
        try {
            Files.writeString(dir.resolve("pg_hba.conf"), String.join("\n", lines));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** initdb reads the superuser's password from a file: the owner's alone, deleted right after the start. */
    private void writePasswordFile(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, superuserPassword + "\n");
    }

    static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private void stopWhenLeftRunning() {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (postgres != null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public synchronized void close() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                LOG.warn("Stopping PostgreSQL failed: {}", e.getMessage());
            }
            postgres = null;
        }
    }
}
