package io.factoryhub.hub.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.plant.kafka.EmbeddedKafka;
import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store on a real broker, exactly-once: each key reaches the changelog once per commit with its value as of the
 * commit, deletes as tombstones, and a task on an empty state directory resumes from the changelog.
 */
class EncodeAtCommitStoreTest {

    private static final String IN = "tally-in";
    private static final String OUT = "tally-out";
    private static final String APP = "encode-at-commit-test";
    private static final String STORE = "tallies";
    private static final String CHANGELOG = APP + "-" + STORE + "-changelog";
    private static final int PER_KEY = 2000;

    /** A mutable value, as the hub's machine states are. */
    static final class Tally {
        long count;
    }

    private static final EncodeAtCommitStore.Codec<Tally> CODEC = new EncodeAtCommitStore.Codec<>() {
        @Override
        public byte[] encode(String key, Tally tally) {
            return ByteBuffer.allocate(8).putLong(tally.count).array();
        }

        @Override
        public Tally decode(String key, byte[] bytes) {
            Tally tally = new Tally();
            tally.count = ByteBuffer.wrap(bytes).getLong();
            return tally;
        }
    };

    /** Counts per key; "reset" deletes the key. Puts before it counts: what the commit writes is the value then. */
    static final class Counting implements Processor<String, String, String, String> {
        private ProcessorContext<String, String> context;
        private KeyValueStore<String, Tally> tallies;

        @Override
        public void init(ProcessorContext<String, String> context) {
            this.context = context;
            tallies = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, String> record) {
            if ("reset".equals(record.value())) {
                tallies.delete(record.key());
                return;
            }
            Tally tally = tallies.get(record.key());
            if (tally == null) {
                tally = new Tally();
            }
            tallies.put(record.key(), tally);
            tally.count++;
            context.forward(record.withValue(Long.toString(tally.count)));
        }
    }

    @TempDir
    Path dir;
    private EmbeddedKafka kafka;
    private final List<KafkaStreams> running = new ArrayList<>();

    @BeforeEach
    void startKafka() throws Exception {
        kafka = new EmbeddedKafka(dir.resolve("kafka"), FreePorts.next(), FreePorts.next(), 1, Map.of());
        kafka.start();
        kafka.createTopics(Map.of(IN, 1, OUT, 1));
    }

    @AfterEach
    void stop() {
        running.forEach(KafkaStreams::close);
        kafka.close();
    }

    @Test
    void should_write_each_key_once_per_commit_with_its_value_as_of_the_commit_and_resume_from_the_changelog()
            throws Exception {
        List<String[]> input = new ArrayList<>();
        for (int i = 0; i < PER_KEY; i++) {
            for (String key : List.of("a", "b", "c")) {
                input.add(new String[] {key, "x"});
            }
        }
        input.add(new String[] {"c", "reset"});
        send(input);
        KafkaStreams first = start(dir.resolve("state-1"));
        Map<String, String> counted = awaitLastValues(OUT, 3 * PER_KEY);
        assertEquals(Map.of("a", "2000", "b", "2000", "c", "2000"), counted);

        // the count after its last put, not at the put; the delete a tombstone
        List<ConsumerRecord<String, byte[]>> changelog = awaitChangelog(last -> Long.valueOf(2000).equals(last.get("a"))
                && Long.valueOf(2000).equals(last.get("b")) && last.containsKey("c") && last.get("c") == null);
        assertTrue(changelog.size() < 3 * PER_KEY / 10,
                changelog.size() + " changelog records for " + 3 * PER_KEY + " puts: one per key and commit expected");

        first.close();
        running.remove(first);
        start(dir.resolve("state-2")); // empty: everything comes from the changelog
        send(List.of(new String[] {"a", "x"}, new String[] {"c", "x"}));
        Map<String, String> resumed = awaitLastValues(OUT, 3 * PER_KEY + 2);
        assertEquals("2001", resumed.get("a"), "resumed from the changelog");
        assertEquals("1", resumed.get("c"), "deleted, so counted anew");
    }

    private KafkaStreams start(Path stateDir) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(EncodeAtCommitStore.builder(Stores.persistentKeyValueStore(STORE), CODEC));
        builder.stream(IN, Consumed.with(Serdes.String(), Serdes.String()))
                .process(Counting::new, STORE)
                .to(OUT, Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        running.add(streams);
        streams.start();
        return streams;
    }

    private void send(List<String[]> records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1), new StringSerializer(), new StringSerializer())) {
            for (String[] record : records) {
                producer.send(new ProducerRecord<>(IN, record[0], record[1]));
            }
            producer.flush();
        }
    }

    /** Each key's last value once {@code count} committed records are in {@code topic}. */
    private Map<String, String> awaitLastValues(String topic, int count) {
        Map<String, String> last = new HashMap<>();
        int[] seen = {0};
        try (KafkaConsumer<String, String> consumer = committedReader(new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.seekToBeginning(List.of(new TopicPartition(topic, 0)));
            Waits.atMost(Duration.ofSeconds(120)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    last.put(record.key(), record.value());
                    seen[0]++;
                });
                return seen[0] >= count;
            });
        }
        assertEquals(count, seen[0], "exactly once: no output twice");
        return last;
    }

    /** The committed changelog once each key's last count in it (null: a tombstone) is what {@code done} expects. */
    private List<ConsumerRecord<String, byte[]>> awaitChangelog(Predicate<Map<String, Long>> done) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = committedReader(new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(CHANGELOG, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Map<String, Long> last = new HashMap<>();
            boolean held = Waits.within(Duration.ofSeconds(60), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    records.add(record);
                    last.put(record.key(), record.value() == null ? null : CODEC.decode(record.key(), record.value()).count);
                });
                return done.test(last);
            });
            assertTrue(held, "the changelog's last counts: " + last + " in " + records.size() + " records; topics " + consumer.listTopics().keySet());
        }
        return records;
    }

    private <K, V> KafkaConsumer<K, V> committedReader(org.apache.kafka.common.serialization.Deserializer<K> keys,
                                                      org.apache.kafka.common.serialization.Deserializer<V> values) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), keys, values);
    }
}
