package io.factoryhub.hub.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Only a contiguous run right after the reader's position is served; anything else comes from the log. */
class RecentRecordsTest {

    private static final BufferedRecord RECORD = new BufferedRecord("t", null, new byte[10], List.of(), 1L);

    @Test
    void should_serve_the_run_after_the_cursor_within_the_limits() {
        RecentRecords recent = new RecentRecords(100, 1_000);
        append(recent, 5, 3); // seq 3..5
        assertEquals(List.of(3L, 4L, 5L), seqs(recent.after(2, 10, 1_000)));
        assertEquals(List.of(4L, 5L), seqs(recent.after(3, 10, 1_000)));
        assertEquals(List.of(3L, 4L), seqs(recent.after(2, 2, 1_000)), "at most maxRecords");
        assertEquals(List.of(3L), seqs(recent.after(2, 10, 15)), "the first whatever its size, then within maxBytes");
        assertEquals(List.of(), seqs(recent.after(0, 10, 1_000)), "seq 1 is not here: read it from the log");
        assertEquals(List.of(), seqs(recent.after(5, 10, 1_000)), "nothing after the last");
    }

    @Test
    void should_forget_what_was_trimmed_evicted_or_left_a_hole() {
        RecentRecords recent = new RecentRecords(4, 1_000);
        append(recent, 3, 3);
        append(recent, 6, 3); // seq 1..6, capacity 4: 3..6 kept
        assertEquals(List.of(), seqs(recent.after(1, 10, 1_000)), "2 was evicted");
        assertEquals(List.of(3L, 4L, 5L, 6L), seqs(recent.after(2, 10, 1_000)));
        recent.trimThrough(4);
        assertEquals(List.of(5L, 6L), seqs(recent.after(4, 10, 1_000)));
        append(recent, 10, 2); // seq 9..10: 7 and 8 never came through here
        assertEquals(List.of(), seqs(recent.after(6, 10, 1_000)), "no run across a hole");
        assertEquals(List.of(9L, 10L), seqs(recent.after(8, 10, 1_000)));
    }

    @Test
    void should_keep_no_more_bytes_than_allowed() {
        RecentRecords recent = new RecentRecords(100, 25); // records of 10 bytes: two fit
        append(recent, 3, 3);
        assertEquals(List.of(), seqs(recent.after(0, 10, 1_000)), "1 was dropped for the bytes");
        assertEquals(List.of(2L, 3L), seqs(recent.after(1, 10, 1_000)));
        recent.trimThrough(3);
        append(recent, 5, 2);
        assertEquals(List.of(4L, 5L), seqs(recent.after(3, 10, 1_000)), "trimmed records gave their bytes back");
    }

    private static void append(RecentRecords recent, long lastSeq, int count) {
        recent.appended(lastSeq, LongStream.range(0, count).mapToObj(i -> RECORD).toList(),
                LongStream.range(0, count).mapToObj(i -> 10).toList());
    }

    private static List<Long> seqs(List<RecentRecords.Sequenced> run) {
        return run.stream().map(RecentRecords.Sequenced::seq).toList();
    }
}
