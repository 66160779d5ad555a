package io.factoryhub.hub.buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The records appended last, kept in memory as they were submitted, so that the forwarder, when it keeps up, sends them
 * without reading them back from disk and decoding them (read and decode were a quarter of its samples in a JFR
 * profile of bench ingest). The log stays the truth: what is not here — evicted under a backlog, or from before a
 * restart — is read from it, and a run is only served when it continues exactly where the reader stands.
 */
final class RecentRecords {

    /** A record with its sequence number in the log and its encoded size there. */
    record Sequenced(long seq, BufferedRecord record, int bytes) {
    }

    private final int maxRecords;
    private final long maxBytes;
    private final ArrayDeque<Sequenced> records = new ArrayDeque<>();
    private long bytes;

    /**
     * Kept at most: {@code maxRecords} and {@code maxBytes} (readings of a megabyte each must not fill the heap); the
     * oldest are dropped first, and the forwarder then reads them from disk.
     */
    RecentRecords(int maxRecords, long maxBytes) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
    }

    /** After an append: {@code lastSeq} is the log's number of the last of {@code appended}, which are consecutive. */
    synchronized void appended(long lastSeq, List<BufferedRecord> appended, List<Integer> sizes) {
        long seq = lastSeq - appended.size() + 1;
        if (!records.isEmpty() && records.peekLast().seq() != seq - 1) {
            records.clear(); // never serve a run with a hole in it
            bytes = 0;
        }
        for (int i = 0; i < appended.size(); i++) {
            records.addLast(new Sequenced(seq + i, appended.get(i), sizes.get(i)));
            bytes += sizes.get(i);
        }
        while (!records.isEmpty() && (records.size() > maxRecords || bytes > maxBytes)) {
            bytes -= records.removeFirst().bytes();
        }
    }

    /**
     * The records right after {@code afterSeq}, at most {@code maxRecords} and {@code maxBytes} (the first whatever its
     * size), as {@link RecordLog#readAfter} gives them; empty when the record after {@code afterSeq} is not here.
     */
    synchronized List<Sequenced> after(long afterSeq, int maxRecords, long maxBytes) {
        List<Sequenced> run = new ArrayList<>(Math.min(maxRecords, records.size()));
        long bytes = 0;
        long expected = afterSeq + 1;
        for (Sequenced record : records) {
            if (record.seq() < expected) {
                continue;
            }
            if (record.seq() != expected || run.size() == maxRecords || (!run.isEmpty() && bytes + record.bytes() > maxBytes)) {
                break;
            }
            run.add(record);
            bytes += record.bytes();
            expected++;
        }
        return run;
    }

    /** Forgets the records with seq &lt;= seq: they are in Kafka. */
    synchronized void trimThrough(long seq) {
        while (!records.isEmpty() && records.peekFirst().seq() <= seq) {
            bytes -= records.removeFirst().bytes();
        }
    }
}
