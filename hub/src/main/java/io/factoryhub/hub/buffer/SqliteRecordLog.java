package io.factoryhub.hub.buffer;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * {@link RecordLog} in one SQLite database ({@code records.db} in WAL mode, plus its {@code -wal} and {@code -shm}
 * files): a table keyed by seq (the rowid, so appends go to the end of the B-tree and a trim deletes a prefix) and a
 * one-row table with the counters, updated in the same transaction as the records they count.
 *
 * <p>Why SQLite: measured against RocksDB and Tape's QueueFile (README, "The buffer's store"): as fast as RocksDB when
 * appends are fsynced, a JVM that grows by ~2 MB with 1,000,000 records held (a 2 MB page cache per connection, no
 * memtables, no background threads), opened in constant time, one file, natives for linux-x64 inside the jar.
 *
 * <p>Durability: every append and every trim is one transaction. With {@code fsync} the WAL is synced at every commit
 * ({@code synchronous=FULL}): an append that returned survives power loss. Without, {@code synchronous=NORMAL}: a
 * commit is in the OS when it returns, so it survives a kill -9 of the JVM, and the database stays consistent (but may
 * lose the last commits) after a crash of the OS.
 *
 * <p>Threads: appends and trims share one write connection under a lock (SQLite has one writer at a time; the lock
 * makes them wait for each other instead of failing with {@code SQLITE_BUSY}), so with {@code fsync} a trim is synced
 * too; reads have a connection of their own, which WAL mode lets read while the other writes. The counters are an
 * immutable snapshot replaced after each commit, so {@link #records()} and {@link #bytes()} always agree.
 */
public final class SqliteRecordLog implements RecordLog {

    private static final Logger log = LoggerFactory.getLogger(SqliteRecordLog.class);

    static final String FILE_NAME = "records.db";
    /** Bumped when the schema changes, so an older hub refuses a newer file instead of misreading it. */
    private static final int FORMAT_VERSION = 1;
    /** A large append grows the WAL; after the checkpoint it is cut back to this, not kept at its largest. */
    private static final int WAL_SIZE_LIMIT_BYTES = 64 << 20;
    /** Only another process (the sqlite3 CLI) could hold the write lock: our own writers wait on {@link #writeLock}. */
    private static final int BUSY_TIMEOUT_MS = 10_000;

    private final Path file;
    private final Connection writer;
    private final Connection reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final PreparedStatement insertRecord;
    private final PreparedStatement recordAppended;
    private final PreparedStatement bytesThrough;
    private final PreparedStatement deleteThrough;
    private final PreparedStatement recordTrimmed;
    private final PreparedStatement selectAfter;
    private volatile Counters counters;

    /** What is on disk, after the last commit: records held are those with trimmedSeq &lt; seq &lt;= lastSeq. */
    private record Counters(long lastSeq, long appendedBytes, long trimmedSeq, long trimmedBytes) {
        long records() {
            return lastSeq - trimmedSeq;
        }

        long bytes() {
            return appendedBytes - trimmedBytes;
        }
    }

    private SqliteRecordLog(Path file, Connection writer, Connection reader, Counters counters) throws SQLException {
        this.file = file;
        this.writer = writer;
        this.reader = reader;
        this.counters = counters;
        insertRecord = writer.prepareStatement("INSERT INTO record(seq, bytes) VALUES (?, ?)");
        recordAppended = writer.prepareStatement("UPDATE counters SET last_seq = ?, appended_bytes = ?");
        bytesThrough = writer.prepareStatement("SELECT coalesce(sum(length(bytes)), 0) FROM record WHERE seq <= ?");
        deleteThrough = writer.prepareStatement("DELETE FROM record WHERE seq <= ?");
        recordTrimmed = writer.prepareStatement("UPDATE counters SET trimmed_seq = ?, trimmed_bytes = ?");
        selectAfter = reader.prepareStatement("SELECT seq, bytes FROM record WHERE seq > ? ORDER BY seq LIMIT ?");
    }

    /**
     * Opens the log in {@code dir} (created owner-only where the file system is POSIX), creating it if new. A log left
     * by a killed process opens as of its last commit.
     *
     * @param fsync sync every append to the device before it returns (survives power loss), else to the OS only
     */
    public static SqliteRecordLog open(Path dir, boolean fsync) throws IOException {
        long started = System.nanoTime();
        createOwnerOnly(dir);
        Path file = dir.resolve(FILE_NAME);
        Connection writer = null;
        Connection reader = null;
        try {
            writer = connect(file, fsync);
            Counters counters = initialize(writer, file);
            reader = connect(file, fsync);
            // each read its own transaction: a long one would keep reading the snapshot it started with
            reader.setAutoCommit(true);
            try (Statement statement = reader.createStatement()) {
                statement.execute("PRAGMA query_only = true");
            }
            SqliteRecordLog opened = new SqliteRecordLog(file, writer, reader, counters);
            log.info("Record log opened file={} fsync={} records={} bytes={} lastSeq={} ms={}", file, fsync,
                    counters.records(), counters.bytes(), counters.lastSeq(), (System.nanoTime() - started) / 1_000_000);
            return opened;
        } catch (SQLException | IOException e) {
            closeQuietly(reader, e);
            closeQuietly(writer, e);
            throw e instanceof IOException io ? io : new IOException("Cannot open the record log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long append(List<byte[]> records) throws IOException {
        // checked before the first one is batched: a half-built batch must not go out with the next append
        records.forEach(bytes -> Objects.requireNonNull(bytes, "record"));
        if (records.isEmpty()) {
            return lastSeq();
        }
        writeLock.lock();
        try {
            Counters before = counters;
            long seq = before.lastSeq();
            long appendedBytes = before.appendedBytes();
            try {
                for (byte[] bytes : records) {
                    insertRecord.setLong(1, ++seq);
                    insertRecord.setBytes(2, bytes);
                    insertRecord.addBatch();
                    appendedBytes += bytes.length;
                }
                insertRecord.executeBatch();
                recordAppended.setLong(1, seq);
                recordAppended.setLong(2, appendedBytes);
                recordAppended.executeUpdate();
                writer.commit();
            } catch (SQLException e) {
                throw rolledBack("append " + records.size() + " records to", e);
            }
            counters = new Counters(seq, appendedBytes, before.trimmedSeq(), before.trimmedBytes());
            return seq;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public List<Entry> readAfter(long afterSeq, int maxRecords, long maxBytes) throws IOException {
        if (maxRecords < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("maxRecords and maxBytes must be at least 1, were " + maxRecords + " and " + maxBytes);
        }
        List<Entry> entries = new ArrayList<>(Math.min(maxRecords, 1024));
        try {
            selectAfter.setLong(1, afterSeq);
            selectAfter.setInt(2, maxRecords);
            long total = 0;
            try (ResultSet rows = selectAfter.executeQuery()) {
                while (rows.next()) {
                    byte[] bytes = rows.getBytes(2);
                    // the driver hands back an empty BLOB as null
                    bytes = bytes == null ? new byte[0] : bytes;
                    total += bytes.length;
                    if (total > maxBytes && !entries.isEmpty()) {
                        break;
                    }
                    entries.add(new Entry(rows.getLong(1), bytes));
                }
            }
        } catch (SQLException e) {
            throw new IOException("Cannot read the record log " + file + " after seq " + afterSeq + ": " + e.getMessage(), e);
        }
        return entries;
    }

    @Override
    public void trimThrough(long seq) throws IOException {
        writeLock.lock();
        try {
            Counters before = counters;
            long through = Math.min(seq, before.lastSeq());
            if (through <= before.trimmedSeq()) {
                return;
            }
            long trimmedBytes;
            try {
                bytesThrough.setLong(1, through);
                try (ResultSet sum = bytesThrough.executeQuery()) {
                    sum.next();
                    trimmedBytes = before.trimmedBytes() + sum.getLong(1);
                }
                deleteThrough.setLong(1, through);
                deleteThrough.executeUpdate();
                recordTrimmed.setLong(1, through);
                recordTrimmed.setLong(2, trimmedBytes);
                recordTrimmed.executeUpdate();
                writer.commit();
            } catch (SQLException e) {
                throw rolledBack("trim through seq " + through + " in", e);
            }
            counters = new Counters(before.lastSeq(), before.appendedBytes(), through, trimmedBytes);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long lastSeq() {
        return counters.lastSeq();
    }

    @Override
    public long records() {
        return counters.records();
    }

    @Override
    public long bytes() {
        return counters.bytes();
    }

    @Override
    public void close() throws IOException {
        writeLock.lock();
        try {
            reader.close();
            // the last connection to close checkpoints the WAL into the database file
            writer.close();
        } catch (SQLException e) {
            throw new IOException("Cannot close the record log " + file + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private IOException rolledBack(String what, SQLException cause) {
        try {
            insertRecord.clearBatch();
            writer.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
        return new IOException("Cannot " + what + " the record log " + file + ": " + cause.getMessage(), cause);
    }

    private static void createOwnerOnly(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private static Connection connect(Path file, boolean fsync) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // in WAL mode NORMAL syncs only at checkpoints: a commit is then safe from a killed process, not from power loss
        config.setSynchronous(fsync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setJournalSizeLimit(WAL_SIZE_LIMIT_BYTES);
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        Connection connection = config.createConnection("jdbc:sqlite:" + file);
        connection.setAutoCommit(false);
        return connection;
    }

    /** Creates the schema if new, checks the format and reads the counters (constant time, whatever is held). */
    private static Counters initialize(Connection writer, Path file) throws SQLException, IOException {
        try (Statement statement = writer.createStatement()) {
            int version;
            try (ResultSet row = statement.executeQuery("PRAGMA user_version")) {
                version = row.getInt(1);
            }
            if (version == 0) {
                statement.execute("CREATE TABLE record (seq INTEGER PRIMARY KEY, bytes BLOB NOT NULL)");
                statement.execute("CREATE TABLE counters (last_seq INTEGER NOT NULL, appended_bytes INTEGER NOT NULL,"
                        + " trimmed_seq INTEGER NOT NULL, trimmed_bytes INTEGER NOT NULL)");
                statement.execute("INSERT INTO counters VALUES (0, 0, 0, 0)");
                statement.execute("PRAGMA user_version = " + FORMAT_VERSION);
                writer.commit();
            } else if (version != FORMAT_VERSION) {
                throw new IOException("The record log " + file + " has format " + version + ", this hub reads format "
                        + FORMAT_VERSION + ": move it away or start the hub version that wrote it");
            }
            Counters counters;
            try (ResultSet row = statement.executeQuery("SELECT last_seq, appended_bytes, trimmed_seq, trimmed_bytes FROM counters")) {
                counters = new Counters(row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4));
            }
            // each alone walks one edge of the B-tree; min and max in one SELECT (or count(*)) read every page
            try (ResultSet row = statement.executeQuery("SELECT (SELECT min(seq) FROM record), (SELECT max(seq) FROM record)")) {
                long first = row.getLong(1);
                boolean empty = row.wasNull();
                boolean consistent = empty
                        ? counters.records() == 0
                        : first == counters.trimmedSeq() + 1 && row.getLong(2) == counters.lastSeq();
                if (!consistent) {
                    throw new IOException("The record log " + file + " is inconsistent: records " + row.getLong(1) + ".."
                            + row.getLong(2) + " held, counters say " + (counters.trimmedSeq() + 1) + ".." + counters.lastSeq());
                }
            }
            writer.commit();
            return counters;
        }
    }

    private static void closeQuietly(Connection connection, Exception failure) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
