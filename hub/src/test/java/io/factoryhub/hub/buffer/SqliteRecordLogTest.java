package io.factoryhub.hub.buffer;

import static io.factoryhub.hub.buffer.RecordLogWriterProcess.recordOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The buffer's store on a real disk: order, counters, limits, reopen, space reuse, concurrent draining. */
class SqliteRecordLogTest {

    @TempDir
    Path dir;

    @Test
    void should_read_in_append_order_and_count_what_is_held() throws IOException {
        try (SqliteRecordLog log = SqliteRecordLog.open(dir, false)) {
            assertEquals(0, log.lastSeq());
            assertEquals(List.of(), log.readAfter(0, 10, 1 << 20));

            byte[] large = new byte[1 << 20];
            large[large.length - 1] = 7;
            assertEquals(3, log.append(List.of(text("a"), new byte[0], text("ccc"))));
            assertEquals(4, log.append(List.of(large)));
            assertEquals(4, log.append(List.of()), "an empty append changes nothing");
            assertEquals(4, log.records());
            assertEquals(4 + large.length, log.bytes());

            List<RecordLog.Entry> all = log.readAfter(0, 10, 2 << 20);
            assertEquals(List.of(1L, 2L, 3L, 4L), seqs(all));
            assertArrayEquals(text("a"), all.get(0).bytes());
            assertArrayEquals(new byte[0], all.get(1).bytes());
            assertArrayEquals(text("ccc"), all.get(2).bytes());
            assertArrayEquals(large, all.get(3).bytes());
            assertEquals(List.of(3L, 4L), seqs(log.readAfter(2, 10, 2 << 20)));

            log.trimThrough(2);
            assertEquals(2, log.records());
            assertEquals(3 + large.length, log.bytes());
            assertEquals(List.of(3L, 4L), seqs(log.readAfter(0, 10, 2 << 20)), "reading from before the head starts at the head");
            log.trimThrough(1);
            assertEquals(2, log.records(), "trimming what is gone changes nothing");

            log.trimThrough(100);
            assertEquals(0, log.records());
            assertEquals(0, log.bytes());
            assertEquals(4, log.lastSeq(), "the last seq outlives its record");
            assertEquals(List.of(), log.readAfter(0, 10, 2 << 20));
            assertEquals(5, log.append(List.of(text("e"))));
            assertEquals(List.of(5L), seqs(log.readAfter(0, 10, 2 << 20)));
        }
    }

    @Test
    void should_keep_records_and_continue_seqs_after_reopen() throws IOException {
        try (SqliteRecordLog log = SqliteRecordLog.open(dir, true)) {
            log.append(records(1, 20));
            log.append(records(21, 30));
            log.trimThrough(5);
        }
        try (SqliteRecordLog log = SqliteRecordLog.open(dir, true)) {
            assertEquals(30, log.lastSeq());
            assertEquals(25, log.records());
            assertEquals(bytesOf(6, 30), log.bytes());
            List<RecordLog.Entry> held = log.readAfter(0, 100, 1 << 20);
            assertEquals(LongStream.rangeClosed(6, 30).boxed().toList(), seqs(held));
            held.forEach(entry -> assertArrayEquals(recordOf(entry.seq()), entry.bytes(), "seq " + entry.seq()));

            assertEquals(31, log.append(records(31, 31)));
            log.trimThrough(31);
        }
        try (SqliteRecordLog log = SqliteRecordLog.open(dir, false)) {
            assertEquals(31, log.lastSeq(), "kept with nothing held");
            assertEquals(0, log.records());
            assertEquals(0, log.bytes());
            assertEquals(32, log.append(records(32, 32)), "a seq is never reused");
        }
    }

    @Test
    void should_stop_at_max_records_or_max_bytes() throws IOException {
        try (SqliteRecordLog log = SqliteRecordLog.open(dir, false)) {
            List<byte[]> hundreds = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                hundreds.add(new byte[100]);
            }
            log.append(hundreds);

            assertEquals(List.of(1L, 2L, 3L), seqs(log.readAfter(0, 3, 1 << 20)));
            assertEquals(List.of(5L, 6L), seqs(log.readAfter(4, 100, 250)));
            assertEquals(List.of(5L, 6L), seqs(log.readAfter(4, 100, 200)), "exactly maxBytes");
            assertEquals(List.of(5L), seqs(log.readAfter(4, 100, 50)), "the first record whatever its size");
            assertEquals(List.of(10L), seqs(log.readAfter(9, 100, 1 << 20)));
            assertThrows(IllegalArgumentException.class, () -> log.readAfter(0, 0, 100));
            assertThrows(IllegalArgumentException.class, () -> log.readAfter(0, 10, 0));
        }
    }

    @Test
    void should_drain_in_order_while_appends_continue() throws Exception {
        int total = 30_000;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try (SqliteRecordLog log = SqliteRecordLog.open(dir, false)) {
            AtomicBoolean appending = new AtomicBoolean(true);
            Future<?> appender = threads.submit(() -> {
                for (long seq = 1, n = 1; seq <= total; seq += n, n = n % 50 + 1) {
                    long last = Math.min(seq + n - 1, total);
                    assertEquals(last, log.append(records(seq, last)));
                }
                appending.set(false);
                return null;
            });
            Future<?> counters = threads.submit(() -> {
                while (appending.get()) {
                    long records = log.records();
                    assertTrue(records >= 0 && records <= total, "records() " + records);
                    assertTrue(log.bytes() >= 0, "bytes() " + log.bytes());
                }
                return null;
            });
            Future<long[]> drainer = threads.submit(() -> {
                long after = 0;
                long received = 0;
                long outOfOrder = 0;
                long wrong = 0;
                while (after < total) {
                    List<RecordLog.Entry> entries = log.readAfter(after, 1000, 256 << 10);
                    for (RecordLog.Entry entry : entries) {
                        outOfOrder += entry.seq() == after + 1 ? 0 : 1;
                        wrong += Arrays.equals(recordOf(entry.seq()), entry.bytes()) ? 0 : 1;
                        after = entry.seq();
                        received++;
                    }
                    if (!entries.isEmpty()) {
                        log.trimThrough(after);
                    }
                }
                return new long[] {received, outOfOrder, wrong};
            });
            appender.get(60, TimeUnit.SECONDS);
            counters.get(60, TimeUnit.SECONDS);
            long[] ledger = drainer.get(60, TimeUnit.SECONDS);
            System.out.printf("appended %d, received %d, out of order %d, wrong bytes %d, held at the end %d%n",
                    total, ledger[0], ledger[1], ledger[2], log.records());
            assertEquals(total, ledger[0], "received");
            assertEquals(0, ledger[1], "out of order (missing or duplicate)");
            assertEquals(0, ledger[2], "wrong bytes");
            assertEquals(0, log.records());
            assertEquals(0, log.bytes());
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void should_append_nothing_of_a_group_with_a_null_record() throws IOException {
        try (SqliteRecordLog log = SqliteRecordLog.open(dir, false)) {
            log.append(List.of(text("a")));
            assertThrows(NullPointerException.class, () -> log.append(Arrays.asList(text("b"), null)));
            assertEquals(1, log.lastSeq());
            assertEquals(2, log.append(List.of(text("c"))));
            List<RecordLog.Entry> held = log.readAfter(0, 10, 1 << 20);
            assertEquals(List.of(1L, 2L), seqs(held));
            assertArrayEquals(text("c"), held.get(1).bytes(), "nothing of the refused group went out with the next one");
        }
    }

    @Test
    void should_reuse_the_space_of_trimmed_records() throws IOException {
        long afterFirstRound = fillAndTrim();
        long afterSecondRound = fillAndTrim();
        System.out.printf("files after one round of 20 MB: %d bytes, after two: %d bytes%n", afterFirstRound, afterSecondRound);
        assertTrue(afterFirstRound < 10 << 20, "trimmed pages reused while appending, at most ~5.5 MB held at a time");
        assertTrue(afterSecondRound < afterFirstRound * 1.2, "a second round fits in the space the first freed");
    }

    @Test
    void should_create_its_directory_for_the_owner_only() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path nested = dir.resolve("data").resolve("buffer");
        SqliteRecordLog.open(nested, false).close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(nested)));
    }

    @Test
    void should_refuse_a_log_of_another_format() throws Exception {
        SqliteRecordLog.open(dir, false).close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(SqliteRecordLog.FILE_NAME));
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = 99");
        }
        IOException refused = assertThrows(IOException.class, () -> SqliteRecordLog.open(dir, false));
        assertTrue(refused.getMessage().contains("format 99"), refused.getMessage());
        assertTrue(refused.getMessage().contains(dir.resolve(SqliteRecordLog.FILE_NAME).toString()), refused.getMessage());
    }

    /** 20 MB appended and trimmed again; the size of the files after close. */
    private long fillAndTrim() throws IOException {
        try (SqliteRecordLog log = SqliteRecordLog.open(dir, false)) {
            byte[] record = new byte[1000];
            List<byte[]> group = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                group.add(record);
            }
            for (int i = 0; i < 40; i++) {
                log.trimThrough(log.append(group) - 5_000);
            }
            log.trimThrough(log.lastSeq());
        }
        try (var files = Files.list(dir)) {
            return files.mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static List<byte[]> records(long first, long last) {
        return LongStream.rangeClosed(first, last).mapToObj(RecordLogWriterProcess::recordOf).toList();
    }

    private static long bytesOf(long first, long last) {
        return LongStream.rangeClosed(first, last).map(seq -> recordOf(seq).length).sum();
    }

    private static List<Long> seqs(List<RecordLog.Entry> entries) {
        return entries.stream().map(RecordLog.Entry::seq).toList();
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
