package io.factoryhub.app.support.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads topics from their beginning into a {@link SequenceLedger}, keeping no records (a fault test reads hundreds
 * of thousands). No consumer group: a group member cut off by an outage is evicted and, with nothing committed,
 * would read everything again on rejoining, counted as duplicates. Topics are picked up once they exist.
 */
public final class LedgerFeed implements AutoCloseable {

    /** A record's place in the ledger: its key (machine, table) and sequence number. */
    public record Entry(String key, long seq) {
    }

    private final KafkaConsumer<String, String> consumer;
    private final Set<String> waiting;
    private final SequenceLedger ledger;
    private final Function<ConsumerRecord<String, String>, Optional<Entry>> entry;

    /**
     * @param entry where a record goes in the ledger; empty for records the ledger does not count (markers, tombstones)
     */
    public LedgerFeed(String bootstrapServers, Collection<String> topics, SequenceLedger ledger,
                      Function<ConsumerRecord<String, String>, Optional<Entry>> entry) {
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"), new StringDeserializer(), new StringDeserializer());
        this.waiting = new HashSet<>(topics);
        this.ledger = ledger;
        this.entry = entry;
    }

    /** Polls once (up to 200 ms) and books what came; returns the number of records read. */
    public int poll() {
        assignNewTopics();
        if (consumer.assignment().isEmpty()) {
            return 0;
        }
        int n = 0;
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            entry.apply(record).ifPresent(e -> ledger.received(e.key(), e.seq()));
            n++;
        }
        return n;
    }

    private void assignNewTopics() {
        if (waiting.isEmpty()) {
            return;
        }
        List<TopicPartition> added = new ArrayList<>();
        Map<String, List<PartitionInfo>> existing;
        try {
            existing = consumer.listTopics(Duration.ofSeconds(5));
        } catch (TimeoutException e) {
            return; // Kafka away: the topics are looked for again on the next poll
        }
        for (String topic : List.copyOf(waiting)) {
            List<PartitionInfo> partitions = existing.get(topic);
            if (partitions != null && !partitions.isEmpty()) {
                partitions.forEach(p -> added.add(new TopicPartition(topic, p.partition())));
                waiting.remove(topic);
            }
        }
        if (!added.isEmpty()) {
            List<TopicPartition> all = new ArrayList<>(consumer.assignment());
            all.addAll(added);
            consumer.assign(all);
            consumer.seekToBeginning(added);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
