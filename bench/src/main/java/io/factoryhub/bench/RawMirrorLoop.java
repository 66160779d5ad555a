package io.factoryhub.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The baseline of {@code bench mirror}: one thread, a plain consumer on the factory cluster and a plain producer to
 * the external cluster, copying key, value, headers and timestamp of every record - what MirrorMaker2 does, without
 * Connect, offset syncs or checkpoints. It gets the same client tuning as MirrorMaker2's (from mm2.properties), the
 * same acks=all, and commits nothing (it reads its source partitions from the beginning).
 */
final class RawMirrorLoop implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final String target;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;

    RawMirrorLoop(Map<String, String> source, Map<String, String> sink, String topic, int partitions, String target) {
        Map<String, Object> consumerProps = new HashMap<>(source);
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        Map<String, Object> producerProps = new HashMap<>(sink);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
        this.target = target;
        List<TopicPartition> assigned = new java.util.ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            assigned.add(new TopicPartition(topic, p));
        }
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        thread = new Thread(this::copy, "raw-mirror-loop");
        thread.setDaemon(true);
        thread.start();
    }

    private void copy() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>(target, r.partition(), r.timestamp(), r.key(), r.value(), r.headers()), (md, e) -> {
                        if (e != null) {
                            failure = e;
                        }
                    });
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
        producer.close();
        consumer.close();
    }
}
