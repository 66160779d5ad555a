package io.factoryhub.app.support.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MES-like load for CDC fault tests: one transaction per sequence number (0, 1, 2, …) at a steady rate, each inserting
 * one row {@code (seq)} into the next of the given tables in turn, from one thread, so commit order is sequence order.
 * A committed sequence number is booked as sent in the ledger. Through a database outage it keeps trying the same
 * number: a commit whose answer was lost is looked up after reconnecting, so every number is committed exactly once.
 */
public final class SequencedInserts implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SequencedInserts.class);

    /** How the load reaches the database (a new connection after a failure). */
    @FunctionalInterface
    public interface Connector {
        Connection connect() throws SQLException;
    }

    private final Connector db;
    private final List<String> tables;
    private final long periodNanos;
    private final SequenceLedger ledger;
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param tables created by {@link #createTables} (table names are the test's own, not user input)
     */
    public SequencedInserts(Connector db, List<String> tables, int transactionsPerSecond, SequenceLedger ledger) {
        this.db = db;
        this.tables = List.copyOf(tables);
        this.periodNanos = TimeUnit.SECONDS.toNanos(1) / transactionsPerSecond;
        this.ledger = ledger;
        this.thread = new Thread(this::run, "sequenced-inserts");
    }

    public static void createTables(Connector db, List<String> tables) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            for (String table : tables) {
                s.execute("CREATE TABLE " + table + " (seq bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT now())");
            }
        }
    }

    /** The table sequence number {@code seq} goes to. */
    public String tableOf(long seq) {
        return tables.get((int) (seq % tables.size()));
    }

    public SequencedInserts start() {
        thread.start();
        return this;
    }

    public long committed() {
        return committed.get();
    }

    /** Transactions that failed and were tried again (the database away). */
    public long failures() {
        return failures.get();
    }

    private void run() {
        long seq = 0;
        long next = System.nanoTime();
        Connection c = null;
        while (running) {
            try {
                if (c == null) {
                    c = db.connect();
                    c.setAutoCommit(false);
                    if (exists(c, seq)) {
                        book(seq++);
                    }
                }
                insert(c, seq);
                book(seq++);
                // steady rate; after a stall no burst to catch up
                next = Math.max(next + periodNanos, System.nanoTime() - periodNanos);
                TimeUnit.NANOSECONDS.sleep(next - System.nanoTime());
            } catch (SQLException e) {
                failures.incrementAndGet();
                closeQuietly(c);
                c = null;
                pause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closeQuietly(c);
        LOG.info("sequenced inserts: {} committed, {} failed attempts", committed.get(), failures.get());
    }

    private void insert(Connection c, long seq) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + tableOf(seq) + " (seq) VALUES (?)")) {
            insert.setLong(1, seq);
            insert.executeUpdate();
        }
        c.commit();
    }

    /** Whether a transaction whose commit went unanswered committed after all. */
    private boolean exists(Connection c, long seq) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT 1 FROM " + tableOf(seq) + " WHERE seq = ?")) {
            query.setLong(1, seq);
            try (ResultSet rs = query.executeQuery()) {
                boolean found = rs.next();
                c.commit();
                return found;
            }
        }
    }

    private void book(long seq) {
        ledger.sent(seq);
        committed.incrementAndGet();
    }

    private void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the database is away; the connection is dropped either way
            }
        }
    }

    /** Stops after the transaction in progress. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }
}
