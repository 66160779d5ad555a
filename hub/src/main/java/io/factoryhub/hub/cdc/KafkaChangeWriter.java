package io.factoryhub.hub.cdc;

import io.factoryhub.hub.FactoryTopics;
import io.factoryhub.hub.TopicReplication;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch of change events to Kafka (topic = Debezium's destination, key = primary key JSON,
 * value = envelope JSON or null for a tombstone) and marks it processed only once Kafka acknowledged all of it,
 * so the engine commits offsets behind what is durable: a crash repeats at most the batch in flight.
 *
 * <p>Never throws into the engine. A batch Kafka refuses for good (e.g. not authorized) is not marked processed;
 * {@code onFatal} is told, which stops CDC with the reason instead of skipping changes.
 */
final class KafkaChangeWriter implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaChangeWriter.class);

    private final KafkaProducer<String, String> producer;
    private final Admin admin;
    private final TopicReplication replication;
    private final Consumer<Throwable> onFatal;
    private final Set<String> knownTopics = new HashSet<>();
    private final AtomicLong written = new AtomicLong();
    private volatile boolean closing;

    KafkaChangeWriter(KafkaProducer<String, String> producer, Admin admin, TopicReplication replication, Consumer<Throwable> onFatal) {
        this.producer = producer;
        this.admin = admin;
        this.replication = replication;
        this.onFatal = onFatal;
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) {
        try {
            ensureTopics(records);
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (ChangeEvent<String, String> record : records) {
                acks.add(producer.send(new ProducerRecord<>(record.destination(), record.key(), record.value())));
            }
            for (Future<RecordMetadata> ack : acks) {
                if (!await(ack)) {
                    LOG.info("CDC stopping with a batch of {} changes not yet acknowledged by Kafka: they are sent again on restart", records.size());
                    return;
                }
            }
            for (ChangeEvent<String, String> record : records) {
                committer.markProcessed(record);
            }
            committer.markBatchFinished();
            written.addAndGet(records.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            onFatal.accept(e.getCause());
        } catch (RuntimeException e) {
            onFatal.accept(e);
        }
    }

    /** Waits for Kafka's acknowledgement; false when CDC is closing first (the producer retries until then). */
    private boolean await(Future<RecordMetadata> ack) throws InterruptedException, ExecutionException {
        while (true) {
            try {
                ack.get(1, TimeUnit.SECONDS);
                return true;
            } catch (TimeoutException e) {
                if (closing) {
                    return false;
                }
            }
        }
    }

    /**
     * Topics are created with one partition on first sight: every change of a table, and the transaction
     * markers, stay in commit order for consumers such as the audit verb. Replicated as the hub's own topics
     * ({@link TopicReplication}). Existing topics are left as they are.
     */
    private void ensureTopics(List<ChangeEvent<String, String>> records) throws InterruptedException, ExecutionException {
        List<String> unknown = records.stream().map(ChangeEvent::destination).distinct()
                .filter(topic -> !knownTopics.contains(topic)).toList();
        if (unknown.isEmpty()) {
            return;
        }
        int brokers = TopicReplication.brokers(admin);
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : unknown) {
            missing.add(replication.newTopic(topic, 1, brokers, Map.of()));
        }
        knownTopics.addAll(unknown);
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
            try {
                created.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    knownTopics.remove(created.getKey());
                    throw e;
                }
            }
        }
        // see FactoryTopics.awaitLeaders: sending into a topic without a leader yet once failed CDC under load
        FactoryTopics.awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
    }

    long written() {
        return written.get();
    }

    void closing() {
        closing = true;
    }
}
