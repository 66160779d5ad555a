package io.factoryhub.app.support;

import io.factoryhub.hub.FactoryTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

/** Creates a topic and writes records to chosen partitions with chosen timestamps (the lake keys by record time). */
public final class TopicRecords implements AutoCloseable {

    private final KafkaProducer<String, String> producer;

    public TopicRecords(String bootstrapServers) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new StringSerializer());
    }

    public static void create(String bootstrapServers, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            FactoryTopics.awaitLeaders(admin, List.of(topic));
        }
    }

    /** Sends; the idempotent producer keeps the call order per partition. {@link #flush()} waits for all. */
    public void send(String topic, int partition, long timestamp, String key, String value, String ceId) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, partition, timestamp, key, value);
        if (ceId != null) {
            record.headers().add(new RecordHeader("ce_id", ceId.getBytes(StandardCharsets.UTF_8)));
        }
        producer.send(record);
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
