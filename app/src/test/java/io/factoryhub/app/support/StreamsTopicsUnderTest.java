package io.factoryhub.app.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.ExecutionException;
import io.factoryhub.testkit.Waits;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The stream processing's topics under names of a test's own ({@code <name>.machine.telemetry}, CDC topics
 * {@code <name>-mes.public.<table>}) and an application id of its own: a hub with streams on reads only what its
 * test wrote, from the beginning, whatever other tests left on the shared plant. Writes telemetry, machine events and
 * Debezium-shaped MES change events with the event times the test chooses.
 */
public final class StreamsTopicsUnderTest implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final KafkaProducer<String, String> producer;

    public StreamsTopicsUnderTest(TestPlant plant, String name) {
        this.name = name;
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plant.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer());
    }

    /** The application id {@link #hubConfig} gives the hub: its consumer group too. */
    public String applicationId() {
        return name + "-streams";
    }

    /**
     * Waits until the hub's stream processing has consumed (committed) everything now in {@code topics}: what a test
     * writes next then comes after it in every task, whichever input partition each task happens to fetch first.
     */
    public void awaitConsumed(String bootstrapServers, Collection<String> topics, Duration atMost) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().values().forEach(topic -> topic.partitions().forEach(
                    partition -> latest.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((partition, end) -> ends.put(partition, end.offset()));
            Waits.atMost(atMost).alias("the stream processing consumed " + topics).until(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(applicationId()).partitionsToOffsetAndMetadata().get();
                return ends.entrySet().stream().allMatch(end -> end.getValue() == 0 || (committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() >= end.getValue()));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot read " + topics + " or the committed offsets", e);
        }
    }

    /** The hub's configuration: streams on, these topics, and {@code extra}. */
    public Map<String, String> hubConfig(Map<String, String> extra) {
        Map<String, String> config = new HashMap<>();
        config.put("factory.streams.enabled", "true");
        config.put("factory.streams.application-id", applicationId());
        config.put("factory.topic.telemetry", telemetry());
        config.put("factory.topic.events", events());
        config.put("factory.topic.rules", name + ".rules");
        config.put("factory.topic.context", context());
        config.put("factory.topic.aggregates", aggregates());
        config.put("factory.topic.oee", oee());
        config.put("factory.topic.twin", twin());
        config.put("factory.cdc.config", cdcConfig().toString());
        config.putAll(extra);
        return config;
    }

    public String telemetry() {
        return name + ".machine.telemetry";
    }

    public String events() {
        return name + ".machine.events";
    }

    public String context() {
        return name + ".machine.context";
    }

    public String aggregates() {
        return name + ".machine.aggregates";
    }

    public String twin() {
        return name + ".machine.twin";
    }

    public String oee() {
        return name + ".line.oee";
    }

    /** A CDC topic, {@code <name>-mes.public.<table>}. */
    public String mes(String table) {
        return name + "-mes.public." + table;
    }

    /** The repo's Debezium configuration with this test's topic prefix. */
    private Path cdcConfig() {
        try {
            Path file = Files.createTempFile(name, ".properties");
            String repo = Files.readString(HubUnderTest.REPO.resolve("cdc/debezium.properties"));
            Files.writeString(file, repo.replaceAll("(?m)^topic\\.prefix=.*$", "topic.prefix=" + name + "-mes"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A telemetry event as the normalizer writes it, keyed by machineId. */
    public void reading(String machineId, String tag, double value, Instant sourceTime) {
        ObjectNode event = JSON.createObjectNode().put("machineId", machineId).put("deviceId", tag + "-1").put("tag", tag)
                .put("value", value).put("unit", tag.equals("temperature") ? "°C" : "mm/s").put("quality", "GOOD")
                .put("sourceTime", sourceTime.toString()).put("ingestTime", sourceTime.toString())
                .put("site", "plant-t").put("line", "line-t");
        send(telemetry(), machineId, event.toString(), sourceTime);
    }

    /** A state-changed event as the rules' part writes it (record time = the state's start). */
    public void stateChanged(String machineId, String line, String from, String to, Instant since) {
        ObjectNode event = JSON.createObjectNode().put("type", "state-changed").put("machineId", machineId)
                .put("site", "plant-t").put("line", line).put("from", from).put("to", to).putNull("rule").putNull("group")
                .put("since", since.toString()).put("detectedAt", since.toString());
        event.putObject("values");
        send(events(), machineId, event.toString(), since);
    }

    /**
     * A Debezium change event ({@code converter.schemas.enable=false}) of {@code table}, keyed by its primary key:
     * {@code op} r/c/u with the row {@code after}, d with the row {@code before}.
     */
    public void change(String table, String keyColumn, String op, ObjectNode before, ObjectNode after, Instant committed) {
        ObjectNode row = after != null ? after : before;
        ObjectNode key = JSON.createObjectNode().set(keyColumn, row.get(keyColumn));
        ObjectNode event = JSON.createObjectNode();
        event.set("before", before);
        event.set("after", after);
        event.putObject("source").put("version", "3.0.0.Final").put("connector", "postgresql").put("name", name + "-mes")
                .put("ts_ms", committed.toEpochMilli()).put("db", "mes").put("schema", "public").put("table", table);
        event.put("op", op).put("ts_ms", committed.toEpochMilli()).putNull("transaction");
        send(mes(table), key.toString(), event.toString(), committed);
        if (op.equals("d")) {
            send(mes(table), key.toString(), null, committed);
        }
    }

    /** Any value (a bad record), as it is. */
    public void raw(String topic, String key, String value, Instant time) {
        send(topic, key, value, time);
    }

    public static ObjectNode row() {
        return JSON.createObjectNode();
    }

    private void send(String topic, String key, String value, Instant time) {
        producer.send(new ProducerRecord<>(topic, null, time.toEpochMilli(), key, value));
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
