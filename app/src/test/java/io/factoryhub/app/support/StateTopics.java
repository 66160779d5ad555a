package io.factoryhub.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Topics of their own for a machine-state test class (telemetry, events, rules, context), so its hubs read only what
 * the class writes: rules published as JSON to the control topic, readings with chosen event times, MES context
 * records, and the state-changed events read back (read_committed: what exactly-once committed).
 */
public final class StateTopics implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prefix = "it-state-" + UUID.randomUUID().toString().substring(0, 8);
    private final TestPlant plant;
    private final KafkaProducer<String, String> producer;

    public StateTopics(TestPlant plant) {
        this.plant = plant;
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plant.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    public String telemetry() {
        return prefix + ".telemetry";
    }

    public String events() {
        return prefix + ".events";
    }

    public String rules() {
        return prefix + ".rules";
    }

    public String context() {
        return prefix + ".context";
    }

    /** A hub's configuration for these topics and its own application id (hubs given the same id share the work). */
    public Map<String, String> hubConfig(String applicationId, Map<String, String> timings) {
        Map<String, String> config = new HashMap<>(timings);
        config.put("factory.streams.enabled", "true");
        config.put("factory.streams.application-id", prefix + "-" + applicationId);
        config.put("factory.topic.telemetry", telemetry());
        config.put("factory.topic.events", events());
        config.put("factory.topic.rules", rules());
        config.put("factory.topic.context", context());
        return config;
    }

    /** A rule document on the control topic; {@code spec} is the JSON of its spec's fields. */
    public void publishRule(String name, String spec) {
        send(rules(), name, "{\"apiVersion\":\"factory-hub/v1\",\"kind\":\"Rule\",\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{" + spec + "}}");
    }

    /** Anything on the control topic under a rule's name: a broken document, or null to delete the rule. */
    public void publishRaw(String name, String value) {
        send(rules(), name, value);
    }

    public void reading(String machineId, String deviceId, String tag, double value, Instant sourceTime) {
        send(telemetry(), machineId, "{\"machineId\":\"" + machineId + "\",\"deviceId\":\"" + deviceId + "\",\"tag\":\"" + tag
                + "\",\"value\":" + value + ",\"quality\":\"GOOD\",\"sourceTime\":\"" + sourceTime + "\",\"site\":\"plant-a\","
                + "\"line\":\"line-1\"}");
    }

    public void context(String machineId, String json) {
        send(context(), machineId, json);
    }

    private void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
    }

    /** A reader of the events topic from its beginning, committed records only. */
    public KafkaRecords events(String group) {
        return new KafkaRecords(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, plant.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), group + "-" + UUID.randomUUID(), events());
    }

    /** The state-changed events of one machine among {@code records}, as "FROM>TO" (null for none). */
    public static List<String> changes(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(StateTopics::event).map(e -> e.path("from").asText("null") + ">" + e.path("to").asText())
                .toList();
    }

    public static JsonNode event(ConsumerRecord<String, String> record) {
        return SchemaFile.MACHINE_EVENT.valid(record.value());
    }

    /** Waits for at least {@code count} state-changed events of {@code machineId}; returns all of them so far. */
    public static List<ConsumerRecord<String, String>> await(KafkaRecords events, String machineId, int count, Duration timeout) {
        return events.await(r -> machineId.equals(r.key()) && r.value().contains("\"state-changed\""), count, timeout);
    }

    @Override
    public void close() {
        producer.close();
    }
}
