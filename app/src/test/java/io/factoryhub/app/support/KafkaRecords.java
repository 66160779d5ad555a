package io.factoryhub.app.support;

import io.factoryhub.testkit.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning and waits for the records a test expects. */
public final class KafkaRecords implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> seen = new ArrayList<>();

    public KafkaRecords(String bootstrapServers, String topic) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), "test-" + UUID.randomUUID(), topic);
    }

    /** With client settings of its own (the external cluster's security) and a given group. */
    public KafkaRecords(Map<String, String> clientProperties, String groupId, String topic) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a topic the mirror has not created yet is waited for; asking the broker to create it is not bi's right
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** Commits what was polled so far (the group's own offsets). */
    public void commit() {
        consumer.commitSync();
    }

    /** Waits until {@code count} records match, or fails with what was seen. */
    public List<ConsumerRecord<String, String>> await(Predicate<ConsumerRecord<String, String>> match, int count, Duration timeout) {
        List<ConsumerRecord<String, String>> matching = within(match, count, timeout);
        if (matching.size() < count) {
            throw new AssertionError("expected " + count + " matching records within " + timeout + ", got "
                    + matching.size() + " (of " + seen.size() + " seen): " + matching);
        }
        return matching;
    }

    /** The records matching once {@code count} of them came, or when {@code timeout} ran out: maybe fewer, maybe none. */
    public List<ConsumerRecord<String, String>> within(Predicate<ConsumerRecord<String, String>> match, int count,
                                                       Duration timeout) {
        if (matching(match).size() < count) {
            Waits.within(timeout, Waits.BACK_TO_BACK, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return matching(match).size() >= count;
            });
        }
        return matching(match);
    }

    private List<ConsumerRecord<String, String>> matching(Predicate<ConsumerRecord<String, String>> match) {
        return seen.stream().filter(match).toList();
    }

    /** Records matching so far after polling for {@code quiet}: to assert that nothing more arrived. */
    public List<ConsumerRecord<String, String>> settle(Predicate<ConsumerRecord<String, String>> match, Duration quiet) {
        Instant until = Instant.now().plus(quiet);
        while (Instant.now().isBefore(until)) {
            consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        }
        return seen.stream().filter(match).toList();
    }

    public static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    public static Predicate<ConsumerRecord<String, String>> keyed(String key) {
        return record -> key.equals(record.key());
    }

    @Override
    public void close() {
        consumer.close();
    }
}
