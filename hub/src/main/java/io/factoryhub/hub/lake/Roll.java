package io.factoryhub.hub.lake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One object in the making: consecutive records of one partition and one hour, encoded into chunks that are
 * gzip-compressed as they fill (memory holds the compressed bytes and a few chunks). Its key is fixed by its first record.
 */
final class Roll {

    private final TopicPartition partition;
    private final long firstOffset;
    private final long hour;
    private final String key;
    private final long openedAtMs;
    private final ByteArrayOutputStream compressed = new ByteArrayOutputStream(64 * 1024);
    private static final int CHUNK = 256 * 1024;

    private final OutputStream gzip;
    private final NdjsonCodec.Encoder encoder;
    private final Compressor compressor;
    private LineBuffer chunk = new LineBuffer(CHUNK + 4096);
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
        int before = chunk.size;
        try {
            encoder.write(record, chunk);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in-memory streams: not expected
        }
        lastOffset = record.offset();
        records++;
        rawBytes += chunk.size - before;
        if (chunk.size >= CHUNK) {
            handOver();
        }
    }

    private void handOver() {
        written = compressor.write(written, gzip, chunk.bytes, chunk.size);
        chunk = new LineBuffer(CHUNK + 4096);
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
            if (chunk.size > 0) {
                handOver();
            }
            compressor.close(written, gzip).join();
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
