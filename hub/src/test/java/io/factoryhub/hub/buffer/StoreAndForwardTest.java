package io.factoryhub.hub.buffer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.hub.FactoryTopics;
import io.factoryhub.hub.TopicReplication;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.kafka.EmbeddedKafka;
import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The buffer against a real Kafka that is not there yet: records are accepted (on disk) while no broker listens on the
 * port, and reach Kafka, in order per key, once a broker is started on it — also after a restart of the buffer.
 */
class StoreAndForwardTest {

    private static final String TOPIC = "buffer.test";
    private static final String DEADLETTER = "buffer.deadletter";
    private static final String EVENTS = "buffer.events";
    private static final TopicReplication REPLICATION = TopicReplication.from(HubConfig.defaults());
    private static final int MAX_RECORD_BYTES = HubConfig.defaults().getInt("factory.deadletter.max-record-bytes");

    private final int kafkaPort = FreePorts.next();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Path dir;

    @AfterEach
    void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    @Test
    void should_accept_records_while_kafka_is_away_and_deliver_them_in_order_when_it_is_back() throws Exception {
        StoreAndForward buffer = buffer(64L * 1024 * 1024, dir());
        int perKey = 2000;
        submitSequenced(buffer, perKey, 0);
        assertEquals(3L * perKey, buffer.records(), "all on disk while Kafka is away");
        await("the forwarder sees Kafka is away").atMost(Duration.ofSeconds(60)).until(() -> buffer.forwarding().failingSince().isPresent());

        startKafka();
        Map<String, List<Integer>> received = consume(TOPIC, 3 * perKey);
        assertInOrder(received, perKey);
        await("drained").atMost(Duration.ofSeconds(60)).until(() -> buffer.records() == 0);
        await("Kafka's state is ready again").atMost(Duration.ofSeconds(60)).until(() -> buffer.forwarding().failingSince().isEmpty());
    }

    @Test
    void should_keep_what_it_holds_across_a_restart() throws Exception {
        Path shared = dir();
        StoreAndForward first = buffer(64L * 1024 * 1024, shared);
        submitSequenced(first, 500, 0);
        first.close();
        open.remove(first);

        startKafka();
        StoreAndForward second = buffer(64L * 1024 * 1024, shared);
        assertEquals(1500, second.records(), "what the first held is on disk");
        submitSequenced(second, 500, 500);
        assertInOrder(consume(TOPIC, 3000), 1000);
    }

    @Test
    void should_refuse_records_when_full_without_overwriting_and_take_them_again_once_drained() throws Exception {
        StoreAndForward buffer = buffer(1024 * 1024, dir());
        byte[] payload = new byte[10_000];
        int accepted = 0;
        Throwable refusal = null;
        while (refusal == null) {
            refusal = submit(buffer, new BufferedRecord(TOPIC, bytes("m"), payload, List.of(), System.currentTimeMillis()));
            if (refusal == null) {
                accepted++;
            }
        }
        assertInstanceOf(BufferUnavailableException.class, refusal, "full: refused, for the sender to keep");
        assertTrue(buffer.isFull());
        assertTrue(accepted >= 90 && accepted <= 105, "about 1 MiB accepted: " + accepted);

        startKafka();
        assertEquals(accepted, consume(TOPIC, accepted).get("m").size(), "every accepted record, none overwritten");
        await("takes records again once drained").atMost(Duration.ofSeconds(60)).until(() -> submitQuietly(buffer) == null);
        List<String> events = consumeValues(EVENTS, 2);
        assertTrue(events.get(0).contains("\"type\":\"buffer-full\""), events.get(0));
        assertTrue(events.get(1).contains("\"type\":\"buffer-recovered\""), events.get(1));
    }

    @Test
    void should_send_a_record_kafka_refuses_to_the_dead_letter_topic_and_go_on() throws Exception {
        startKafka();
        StoreAndForward buffer = buffer(64L * 1024 * 1024, dir());
        // the telemetry topic takes Kafka's default 1 MB at most; the dead-letter topic factory.deadletter.max-record-bytes
        byte[] tooLarge = new byte[1_200_000];
        assertNull(submit(buffer, new BufferedRecord(TOPIC, bytes("big"), tooLarge, List.of(), System.currentTimeMillis())));
        submitSequenced(buffer, 10, 0);

        assertInOrder(consume(TOPIC, 30), 10);
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(DEADLETTER));
            ConsumerRecord<String, byte[]> letter = pollOne(consumer);
            assertEquals("big", letter.key());
            assertEquals(tooLarge.length, letter.value().length, "the refused record, whole");
            String error = new String(letter.headers().lastHeader("factory_error").value(), StandardCharsets.UTF_8);
            assertTrue(error.contains("RecordTooLarge") || error.contains("larger than"), error);
        }
        assertEquals(1, buffer.forwarding().deadLettered());
    }

    private void startKafka() throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka(dir().resolve("kafka"), kafkaPort, FreePorts.next(), 1, Map.of());
        kafka.start();
        open.add(kafka);
        FactoryTopics.ensure(bootstrap(), Map.of(TOPIC, FactoryTopics.Topic.of(3),
                DEADLETTER, FactoryTopics.Topic.deadletter(MAX_RECORD_BYTES)), REPLICATION);
    }

    private StoreAndForward buffer(long maxBytes, Path bufferDir) throws IOException {
        BufferSettings settings = new BufferSettings(bufferDir, maxBytes, false, 500, 1024 * 1024,
                MAX_RECORD_BYTES, 3000, 5000, DEADLETTER, EVENTS, "factory-hub-test");
        Map<String, Object> producer = new HashMap<>();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        StoreAndForward buffer = StoreAndForward.open(settings, producer,
                topic -> FactoryTopics.ensure(bootstrap(), Map.of(topic, FactoryTopics.Topic.of(3)), REPLICATION,
                        settings.sendTimeoutMs()));
        open.add(buffer);
        return buffer;
    }

    private static void submitSequenced(StoreAndForward buffer, int perKey, int firstSeq) throws Exception {
        List<CompletableFuture<Throwable>> acks = new ArrayList<>();
        for (int seq = firstSeq; seq < firstSeq + perKey; seq++) {
            for (String key : List.of("m1", "m2", "m3")) {
                CompletableFuture<Throwable> ack = new CompletableFuture<>();
                buffer.submit(new BufferedRecord(TOPIC, bytes(key), bytes(Integer.toString(seq)),
                        List.of(new BufferedRecord.Header("ce_id", bytes(key + "-" + seq))), System.currentTimeMillis()), ack::complete);
                acks.add(ack);
            }
        }
        for (CompletableFuture<Throwable> ack : acks) {
            assertNull(ack.get(30, TimeUnit.SECONDS), "accepted");
        }
    }

    private static Throwable submit(StoreAndForward buffer, BufferedRecord record) throws Exception {
        CompletableFuture<Throwable> ack = new CompletableFuture<>();
        buffer.submit(record, ack::complete);
        return ack.get(30, TimeUnit.SECONDS);
    }

    private static Throwable submitQuietly(StoreAndForward buffer) {
        try {
            return submit(buffer, new BufferedRecord(TOPIC, bytes("after"), bytes("x"), List.of(), System.currentTimeMillis()));
        } catch (Exception e) {
            return e;
        }
    }

    /** Each key's values are 0..perKey-1 in order: nothing missing, nothing twice, nothing overtaken. */
    private static void assertInOrder(Map<String, List<Integer>> received, int perKey) {
        for (String key : List.of("m1", "m2", "m3")) {
            List<Integer> expected = java.util.stream.IntStream.range(0, perKey).boxed().toList();
            assertEquals(expected, received.get(key), "key " + key);
        }
    }

    private Map<String, List<Integer>> consume(String topic, int count) {
        Map<String, List<Integer>> byKey = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            Waits.within(Duration.ofSeconds(60), Waits.BACK_TO_BACK, () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value().length < 16) {
                        byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8)));
                    } else {
                        byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value().length);
                    }
                }
                return byKey.values().stream().mapToInt(List::size).sum() >= count;
            });
        }
        return byKey;
    }

    private List<String> consumeValues(String topic, int count) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            Waits.within(Duration.ofSeconds(60), Waits.BACK_TO_BACK, () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(new String(r.value(), StandardCharsets.UTF_8)));
                return values.size() >= count;
            });
        }
        return values;
    }

    private static ConsumerRecord<String, byte[]> pollOne(KafkaConsumer<String, byte[]> consumer) {
        return Waits.atMost(Duration.ofSeconds(60)).pollInterval(Waits.BACK_TO_BACK).alias("a record")
                .until(() -> first(consumer.poll(Duration.ofMillis(500))), Objects::nonNull);
    }

    private static ConsumerRecord<String, byte[]> first(ConsumerRecords<String, byte[]> records) {
        return records.isEmpty() ? null : records.iterator().next();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 20 * 1024 * 1024,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 20 * 1024 * 1024),
                new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer());
    }

    private String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    private Path dir() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("buffer-test");
        }
        return Files.createTempDirectory(dir, "part");
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
