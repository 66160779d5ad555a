package io.factoryhub.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The lake's baseline, no Camel and no hub code: a KafkaConsumer, the record values gzip-compressed per partition
 * (one per line, same level as the hub), PutObject with the plain SDK client every {@code rollRecords}, then
 * commitSync: the least a Kafka -> S3 copy that loses nothing does.
 */
final class RawLakeBaseline {

    private final String bootstrapServers;
    private final S3Client s3;
    private final String bucket;
    private final int rollRecords;
    private final int gzipLevel;

    RawLakeBaseline(String bootstrapServers, S3Client s3, String bucket, int rollRecords, int gzipLevel) {
        this.bootstrapServers = bootstrapServers;
        this.s3 = s3;
        this.bucket = bucket;
        this.rollRecords = rollRecords;
        this.gzipLevel = gzipLevel;
    }

    /** Copies {@code total} records of {@code topic} into the bucket; returns the seconds it took. */
    double copy(String topic, long total, String group) throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        Map<TopicPartition, Buffer> buffers = new HashMap<>();
        long stored = 0;
        long started = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(java.util.List.of(topic));
            while (stored < total) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    Buffer buffer = buffers.computeIfAbsent(tp, k -> new Buffer(record.offset(), gzipLevel));
                    buffer.add(record);
                    if (buffer.records == rollRecords) {
                        s3.putObject(b -> b.bucket(bucket).key("raw/" + topic + "+" + tp.partition() + "+" + buffer.first + ".ndjson.gz"),
                                RequestBody.fromBytes(buffer.finish()));
                        consumer.commitSync(Map.of(tp, new OffsetAndMetadata(record.offset() + 1)));
                        stored += buffer.records;
                        buffers.remove(tp);
                    }
                }
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static final class Buffer {
        private final long first;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        private final OutputStream gzip;
        private int records;

        Buffer(long first, int level) {
            this.first = first;
            try {
                this.gzip = new java.io.BufferedOutputStream(new GZIPOutputStream(bytes, 64 * 1024) {
                    {
                        def.setLevel(level);
                    }
                }, 64 * 1024);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void add(ConsumerRecord<byte[], byte[]> record) {
            try {
                gzip.write(record.value());
                gzip.write('\n');
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            records++;
        }

        byte[] finish() {
            try {
                gzip.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }
}
