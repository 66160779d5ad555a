package io.factoryhub.hub.buffer;

import static io.factoryhub.hub.buffer.RecordLogWriterProcess.recordOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM appending and trimming is SIGKILLed mid-stream: every append and trim it saw return is still on disk, every
 * record held is exact, and appends go on from the last seq. With fsync off too: a kill -9 needs none.
 */
class SqliteRecordLogKillTest {

    /** Acknowledged records before the kill: some thousands, so the kill lands in the middle of appends and trims. */
    private static final long KILL_AFTER_SEQ = 5_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fsync={0}")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @ValueSource(booleans = {false, true})
    void should_keep_every_acknowledged_record_when_the_writer_is_killed(boolean fsync) throws Exception {
        Path logDir = dir.resolve("buffer");
        Path stderr = dir.resolve("writer.err");
        long acknowledged = 0;
        long trimmedSeen = 0;
        List<String> corrupt = new ArrayList<>();
        try (RecordLogWriterProcess writer = RecordLogWriterProcess.start(logDir, fsync, stderr)) {
            boolean killed = false;
            for (String line = writer.readLine(); line != null; line = writer.readLine()) {
                if (line.startsWith(RecordLogWriterProcess.APPENDED)) {
                    acknowledged = Long.parseLong(line.substring(RecordLogWriterProcess.APPENDED.length()));
                } else if (line.startsWith(RecordLogWriterProcess.TRIMMED)) {
                    trimmedSeen = Long.parseLong(line.substring(RecordLogWriterProcess.TRIMMED.length()));
                } else if (line.startsWith(RecordLogWriterProcess.CORRUPT)) {
                    corrupt.add(line);
                }
                if (!killed && acknowledged >= KILL_AFTER_SEQ && trimmedSeen > 0) {
                    writer.kill();
                    killed = true;
                }
            }
            if (!killed) {
                fail("the writer died before it was killed, acknowledged=" + acknowledged + ": " + Files.readString(stderr));
            }
        }
        assertEquals(List.of(), corrupt, "what the writer read back while it ran");

        try (SqliteRecordLog log = SqliteRecordLog.open(logDir, fsync)) {
            long trimmed = log.lastSeq() - log.records();
            long missing = 0;
            long held = 0;
            long heldBytes = 0;
            long after = trimmed;
            for (List<RecordLog.Entry> entries = log.readAfter(after, 1000, 1 << 20); !entries.isEmpty();
                    entries = log.readAfter(after, 1000, 1 << 20)) {
                for (RecordLog.Entry entry : entries) {
                    missing += entry.seq() - after - 1;
                    assertArrayEquals(recordOf(entry.seq()), entry.bytes(), "bytes of seq " + entry.seq());
                    after = entry.seq();
                    held++;
                    heldBytes += entry.bytes().length;
                }
            }
            System.out.printf("fsync=%s: acknowledged through seq %d, trims acknowledged through %d; after reopen: trimmed"
                            + " through %d, last seq %d, held %d (%d bytes), missing %d, unacknowledged but kept %d%n",
                    fsync, acknowledged, trimmedSeen, trimmed, log.lastSeq(), held, heldBytes, missing, log.lastSeq() - acknowledged);
            assertEquals(0, missing, "records missing between the trim point and the last seq");
            assertTrue(trimmed >= trimmedSeen, "a trim that returned is kept: trimmed through " + trimmed + ", acknowledged " + trimmedSeen);
            assertTrue(trimmed < acknowledged, "the trimmer stays behind the appender");
            assertTrue(log.lastSeq() >= acknowledged, "every acknowledged append kept: last seq " + log.lastSeq() + ", acknowledged " + acknowledged);
            assertEquals(log.lastSeq(), after, "the last record held is the last seq");
            assertEquals(log.records(), held, "records()");
            assertEquals(log.bytes(), heldBytes, "bytes()");

            long next = log.lastSeq() + 1;
            assertEquals(next, log.append(List.of(recordOf(next))), "appends go on after the last seq");
            assertArrayEquals(recordOf(next), log.readAfter(next - 1, 1, 1).get(0).bytes());
        }
    }
}
