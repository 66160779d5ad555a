package io.factoryhub.hub.lake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * One object in the making: consecutive records of one partition and one hour, handed in batches to the
 * {@link Compressor}'s thread, which encodes them as NDJSON lines and deflates them (memory holds the compressed bytes
 * and a few batches). Its key is fixed by its first record.
 */
final class Roll {

    private final TopicPartition partition;
    private final long firstOffset;
    private final long hour;
    private final String key;
    private final long openedAtMs;
    private static final int BATCH = 1000;
    /** What a line adds to a record's own bytes (offset, timestamp, field names), for the roll.bytes bound. */
    private static final int LINE_OVERHEAD = 100;

    private final ByteArrayOutputStream compressed = new ByteArrayOutputStream(64 * 1024);
    private final OutputStream gzip;
    /** Used on the compressor's thread only (a roll's batches run there one after the other). */
    private final NdjsonCodec.Encoder encoder;
    private final LineBuffer lines = new LineBuffer(512 * 1024);
    private final Compressor compressor;
    private List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>(BATCH);
    private CompletableFuture<Void> written = CompletableFuture.completedFuture(null);
    private long lastOffset;
    private int records;
    private long rawBytes;
    private byte[] object;

    Roll(ConsumerRecord<byte[], byte[]> first, int gzipLevel, Compressor compressor, long nowMs) {
        this.partition = new TopicPartition(first.topic(), first.partition());
        this.firstOffset = first.offset();
        this.hour = LakeKeys.hourOf(first.timestamp());
        this.key = LakeKeys.key(first.topic(), first.partition(), first.offset(), first.timestamp());
        this.openedAtMs = nowMs;
        this.encoder = new NdjsonCodec.Encoder(first.topic(), first.partition());
        this.compressor = compressor;
        try {
            this.gzip = new LeveledGzip(compressed, gzipLevel);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code record} belongs here: the next offsets of the same hour (a new hour opens a new object). */
    boolean accepts(ConsumerRecord<byte[], byte[]> record) {
        return LakeKeys.hourOf(record.timestamp()) == hour;
    }

    void append(ConsumerRecord<byte[], byte[]> record) {
        batch.add(record);
        lastOffset = record.offset();
        records++;
        rawBytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize()) + LINE_OVERHEAD;
        for (Header header : record.headers()) {
            rawBytes += header.key().length() + (header.value() == null ? 0 : header.value().length) + 20;
        }
        if (batch.size() >= BATCH) {
            handOver();
        }
    }

    private void handOver() {
        List<ConsumerRecord<byte[], byte[]>> handed = batch;
        batch = new ArrayList<>(BATCH);
        written = compressor.run(written, () -> encodeAndDeflate(handed));
    }

    /** On the compressor's thread. */
    private void encodeAndDeflate(List<ConsumerRecord<byte[], byte[]>> records) throws IOException {
        lines.size = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            encoder.write(record, lines);
        }
        gzip.write(lines.bytes, 0, lines.size);
    }

    boolean full(int maxRecords, long maxBytes) {
        return records >= maxRecords || rawBytes >= maxBytes;
    }

    boolean due(long nowMs, long intervalMs) {
        return nowMs - openedAtMs >= intervalMs;
    }

    /** The finished gzip file; appending ends here. */
    byte[] object() {
        if (object == null) {
            if (!batch.isEmpty()) {
                handOver();
            }
            compressor.run(written, gzip::close).join();
            object = compressed.toByteArray();
        }
        return object;
    }

    TopicPartition partition() {
        return partition;
    }

    String key() {
        return key;
    }

    long firstOffset() {
        return firstOffset;
    }

    /** The offset to commit once stored. */
    long nextOffset() {
        return lastOffset + 1;
    }

    int records() {
        return records;
    }

    /** Lines in the making: ByteArrayOutputStream without its per-write lock (a dozen small writes per record). */
    private static final class LineBuffer extends OutputStream {
        private byte[] bytes;
        private int size;

        LineBuffer(int capacity) {
            bytes = new byte[capacity];
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }

    /** GZIPOutputStream with a chosen level: its Deflater is protected, so a subclass sets it. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(level);
        }
    }
}
