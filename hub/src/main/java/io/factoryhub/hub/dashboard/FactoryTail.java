package io.factoryhub.hub.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what the factory Kafka gets from now on, for the dashboard: one consumer on a thread of its own, assigned every
 * partition of its topics and started at their ends. No consumer group, nothing committed: it takes no partition from
 * anyone (the lake's group, a BI reader) and a restart simply starts from "now" again. Partitions added to a topic
 * later are picked up within {@value #REFRESH_MS} ms.
 */
final class FactoryTail implements AutoCloseable {

    /** Reads one record's value; an IOException says it is not an event the page can show. */
    @FunctionalInterface
    interface Handler {
        void accept(byte[] value, long timestamp) throws IOException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(FactoryTail.class);
    private static final long REFRESH_MS = 30_000;
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, Handler> handlers;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private long skipped;
    private volatile boolean running = true;

    FactoryTail(String bootstrapServers, Map<String, Handler> handlers) {
        this.handlers = Map.copyOf(handlers);
        this.consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "factory-hub-dashboard",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // the hub creates its topics; a reader must never create one by asking for it
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                // a reading is on the page within 2 s: the broker answers a fetch after 100 ms even with little data
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "dashboard-kafka");
        thread.setDaemon(true);
    }

    /** Assigns the partitions before the thread starts: what is written after this returns is read. */
    FactoryTail start() {
        assignNewPartitions();
        thread.start();
        return this;
    }

    private void run() {
        long nextRefresh = System.currentTimeMillis() + REFRESH_MS;
        try {
            while (running) {
                if (System.currentTimeMillis() >= nextRefresh) {
                    nextRefresh = System.currentTimeMillis() + REFRESH_MS;
                    assignNewPartitions();
                }
                if (consumer.assignment().isEmpty()) {
                    Thread.sleep(POLL.toMillis()); // Kafka not reached at start: try again at the next refresh
                    continue;
                }
                try {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                        handle(record);
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    LOG.warn("Dashboard cannot read Kafka, trying again in 1 s: {}", e.toString());
                    Thread.sleep(1000);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    /**
     * Assigns the partitions not assigned yet, starting each at its end: resolved here, not at the next poll, so the
     * end is the end as of now.
     */
    private void assignNewPartitions() {
        try {
            Set<TopicPartition> partitions = new HashSet<>();
            for (String topic : handlers.keySet()) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            Set<TopicPartition> added = new HashSet<>(partitions);
            added.removeAll(consumer.assignment());
            if (!added.isEmpty()) {
                consumer.assign(partitions);
                consumer.seekToEnd(added);
                added.forEach(consumer::position);
                LOG.info("Dashboard reads {} partition(s) of {} from their ends", partitions.size(), handlers.keySet());
            }
        } catch (WakeupException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("Dashboard cannot list the partitions of {} yet: {}", handlers.keySet(), e.toString());
        }
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            handlers.get(record.topic()).accept(record.value(), record.timestamp());
        } catch (IOException | RuntimeException e) {
            if (skipped++ % 1000 == 0) { // the first, then one line per thousand
                LOG.warn("Dashboard skipped {} record(s) it cannot show so far, e.g. {}-{}@{}: {}", skipped, record.topic(),
                        record.partition(), record.offset(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
