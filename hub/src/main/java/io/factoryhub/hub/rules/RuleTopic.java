package io.factoryhub.hub.rules;

import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the control topic holds now: the latest record of each rule, read from the beginning to the end once. */
final class RuleTopic {

    /**
     * A rule on the topic that a file published.
     *
     * @param file  the file it came from (the {@value RulePublisher#SOURCE_HEADER} header)
     * @param value the rule document as JSON
     */
    record FromFile(String name, Path file, String value) {
    }

    private RuleTopic() {
    }

    /** The rules on the topic that files published; operators' rules (no source header) and deleted ones are not. */
    static List<FromFile> fromFiles(String bootstrapServers, String topic, Duration timeout) {
        Map<String, ConsumerRecord<String, String>> latest = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "factory-hub-rule-files",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis()),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                consumer.poll(Duration.ofMillis(200)).forEach(record -> latest.put(record.key(), record));
            }
        }
        return latest.values().stream()
                .filter(record -> record.key() != null && record.value() != null)
                .filter(record -> source(record) != null)
                .map(record -> new FromFile(record.key(), source(record), record.value()))
                .toList();
    }

    /** The file a record came from; null for an operator's record, or a header that names no path. */
    private static Path source(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(RulePublisher.SOURCE_HEADER);
        try {
            return header == null || header.value() == null ? null : Path.of(new String(header.value(), StandardCharsets.UTF_8));
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
