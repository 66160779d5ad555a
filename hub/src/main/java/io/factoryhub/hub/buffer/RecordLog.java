package io.factoryhub.hub.buffer;

import java.io.IOException;
import java.util.List;

/**
 * Append-only log of byte records on local disk: appended at the tail, read and trimmed at the head; survives a kill -9
 * of the JVM (and, with fsync on, a crash of the OS / power loss). Safe for concurrent use by one appending thread, one
 * reading+trimming thread and any number of threads reading records()/bytes().
 */
public interface RecordLog extends AutoCloseable {

    /**
     * Appends in order in one atomic write (all or none survive a crash); durable when it returns. Returns the sequence
     * number of the last one. Sequence numbers are consecutive, increasing and never reused, across restarts too.
     */
    long append(List<byte[]> records) throws IOException;

    /** In order, the records with seq > afterSeq: at most maxRecords, and stop once maxBytes is reached (at least one). */
    List<Entry> readAfter(long afterSeq, int maxRecords, long maxBytes) throws IOException;

    /** Deletes every record with seq <= seq (their space is reused). */
    void trimThrough(long seq) throws IOException;

    /** Sequence number of the last record ever appended (0 if none), so a reader starts after what it already trimmed. */
    long lastSeq();

    /** Records held now (cheap: a counter, not a scan). */
    long records();

    /** The sum of the byte lengths of the records held now (cheap: a counter, not a scan). */
    long bytes();

    @Override
    void close() throws IOException;

    record Entry(long seq, byte[] bytes) {
    }
}
