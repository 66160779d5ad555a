package io.factoryhub.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its current end on a thread of its own and hands every record to a handler together with the
 * moment the poll returned it, i.e. when the record became readable for a consumer.
 *
 * <p>The end offsets are fixed in the constructor (Kafka seeks lazily, so {@code position()} forces it), before
 * the phase publishes anything: records of earlier phases are never counted, none of this phase is skipped.
 * No consumer group: manual assignment, nothing committed, nothing to rebalance.
 */
final class KafkaTail implements AutoCloseable {

    /** Receives one record value (ISO-8859-1 decoded: the payloads are ASCII) and when it was polled. */
    interface Handler {
        void onRecord(String value, long polledEpochMicros, long polledNanos, ConsumerRecord<byte[], byte[]> record);
    }

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Handler handler;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    KafkaTail(String bootstrapServers, String topic, String name, Handler handler) {
        this(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, name, handler, false);
    }

    /** With client settings of its own (the external cluster's security). */
    KafkaTail(Map<String, String> clientProperties, String topic, String name, Handler handler) {
        this(clientProperties, topic, name, handler, false);
    }

    /** From the first offset instead of the end (the plant bench reads what was written before it looked). */
    static KafkaTail fromBeginning(String bootstrapServers, String topic, String name, Handler handler) {
        return new KafkaTail(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, name, handler, true);
    }

    private KafkaTail(Map<String, String> clientProperties, String topic, String name, Handler handler, boolean fromBeginning) {
        this.handler = handler;
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.putAll(Map.of(
                ConsumerConfig.CLIENT_ID_CONFIG, "bench-" + name,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        this.consumer = new KafkaConsumer<>(props);
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        if (partitions.isEmpty()) {
            consumer.close();
            throw new IllegalStateException("topic " + topic + " has no partitions");
        }
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
        partitions.forEach(consumer::position);
        thread = new Thread(this::loop, "bench-tail-" + name);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    continue;
                }
                long micros = Readings.nowMicros();
                long nanos = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    if (record.value() != null) {
                        handler.onRecord(new String(record.value(), StandardCharsets.ISO_8859_1), micros, nanos, record);
                    }
                }
            }
        } catch (WakeupException stopping) {
            // close() woke the poll
        } catch (Throwable t) {
            failure = t;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
