package io.factoryhub.hub.buffer;

import io.factoryhub.hub.KafkaProducerSettings;
import io.factoryhub.hub.config.HubConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The buffer's {@code factory.buffer.*} settings.
 *
 * @param maxBytes       records held at most, in bytes ({@code factory.buffer.max-bytes})
 * @param fsync          fsync each group of appended records before acknowledging them ({@code factory.buffer.fsync})
 * @param batchRecords   records the forwarder sends and trims together, the most a crash or failed send repeats
 * @param sendTimeoutMs  how long Kafka may take to acknowledge a batch before /health reports it failing (the producer
 *                       goes on trying), and the longest wait for a topic's metadata
 * @param stopDrainMillis on a graceful stop, how long the forwarder may go on sending what the buffer holds
 */
public record BufferSettings(Path dir, long maxBytes, boolean fsync, int batchRecords, long batchBytes, int maxRecordBytes,
        int sendTimeoutMs, long stopDrainMillis, String deadletterTopic, String eventsTopic, String hubName) {

    public BufferSettings {
        if (maxBytes < 1024 * 1024) {
            throw new IllegalArgumentException("factory.buffer.max-bytes must be at least 1 MiB, not " + maxBytes);
        }
        if (batchRecords < 1) {
            throw new IllegalArgumentException("factory.buffer.batch-records must be at least 1, not " + batchRecords);
        }
    }

    public static BufferSettings from(HubConfig config) {
        return new BufferSettings(config.getPath("factory.data-dir").resolve("buffer"),
                Long.parseLong(config.get("factory.buffer.max-bytes")),
                config.getBoolean("factory.buffer.fsync"),
                config.getInt("factory.buffer.batch-records"),
                4L * 1024 * 1024,
                // the largest record sent: what the dead-letter topic takes, so a dead letter of any accepted payload fits
                config.getInt("factory.deadletter.max-record-bytes"),
                config.getInt("factory.buffer.send-timeout-ms"),
                config.getInt("factory.buffer.stop-drain-ms"),
                config.get("factory.topic.deadletter"),
                config.get("factory.topic.events"),
                "factory-hub-" + config.get("factory.site"));
    }

    /**
     * The forwarder's producer: acks from all in-sync replicas and idempotence (nothing acknowledged lost, no
     * duplicates from the producer's own retries, order per partition), and no delivery timeout: a record is retried
     * until Kafka takes it, never given up while later ones go through (see KafkaForwarder#forward). Only waiting for
     * metadata is bounded, by the send timeout.
     */
    Map<String, Object> producerConfig(Map<String, Object> base) {
        Map<String, Object> config = new HashMap<>(base);
        config.putAll(KafkaProducerSettings.guarantees());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, Math.min(10_000, sendTimeoutMs / 2)));
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, sendTimeoutMs);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxRecordBytes + 64 * 1024);
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Math.max(64L * 1024 * 1024, 4L * maxRecordBytes));
        return config;
    }
}
