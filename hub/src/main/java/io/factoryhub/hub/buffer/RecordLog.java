package io.factoryhub.hub.buffer;

/**
 * Append-only log of byte records on local disk: appended at the tail, read and trimmed at the head; survives a kill -9
 * of the JVM (and, with fsync on, a crash of the OS / power loss). Safe for concurrent use by one appending thread, one
 * reading+trimming thread and any number of threads reading {@link #records()}/{@link #bytes()}/{@link #lastSeq()}.
 */
public interface RecordLog extends AutoCloseable {

    /**
     * Appends in order in one atomic write (all or none survive a crash); durable when it returns. Returns the sequence
     * number of the last one ({@link #lastSeq()} unchanged for an empty list). Sequence numbers are consecutive,
     * increasing and never reused, across restarts too.
     */
    long append(java.util.List<byte[]> records) throws java.io.IOException;

    /**
     * In order, the records with seq &gt; afterSeq: at most {@code maxRecords}, and no more than {@code maxBytes} in
     * total, except that the first record is returned whatever its size (at least one, if any is held). Empty when
     * nothing after {@code afterSeq} is held.
     */
    java.util.List<Entry> readAfter(long afterSeq, int maxRecords, long maxBytes) throws java.io.IOException;

    /** Deletes every record with seq &lt;= seq (their space is reused). A seq past {@link #lastSeq()} trims all. */
    void trimThrough(long seq) throws java.io.IOException;

    /** Sequence number of the last record ever appended (0 if none), so a reader starts after what it already trimmed. */
    long lastSeq();

    /** Records held now (cheap: a counter, not a scan). */
    long records();

    /** The sum of the byte lengths of the records held now (cheap: a counter, not a scan). */
    long bytes();

    @Override
    void close() throws java.io.IOException;

    /** One record and its sequence number. */
    record Entry(long seq, byte[] bytes) { }
}
