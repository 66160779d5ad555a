package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.mirror.ExternalCluster;
import io.factoryhub.hub.mirror.MirrorFreshness;
import io.factoryhub.hub.mirror.MirrorRunner;
import io.factoryhub.hub.FactoryTopics;
import io.factoryhub.testkit.Waits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * factory -> external (BI) cluster through the product's MirrorMaker2 runner, configured from the repo's
 * mirror-config/mm2.properties, on two real brokers; everything read back on the external side as the bi user.
 */
class MirrorReplicationTest {

    private static final String COPY = "factory.test.mirror-copy";
    private static final String RESTART = "factory.test.mirror-restart";
    private static final String FRESHNESS = "factory.test.mirror-freshness";

    private static HubConfig config;
    private static MirrorRunner mirror;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void startMirror() throws Exception {
        TestPlant plant = TestPlant.shared();
        config = plant.external();
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", plant.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(COPY, 3, (short) 1), new NewTopic(RESTART, 6, (short) 1),
                    new NewTopic(FRESHNESS, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            FactoryTopics.awaitLeaders(admin, List.of(COPY, RESTART, FRESHNESS));
        }
        producer = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, plant.bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer());
        mirror = MirrorRunner.start(config);
    }

    @AfterAll
    static void stopMirror() {
        if (mirror != null) {
            mirror.close();
        }
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void should_copy_records_with_identical_keys_values_and_headers_readable_by_bi() throws Exception {
        for (int i = 0; i < 50; i++) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_id", ("id-" + i).getBytes(StandardCharsets.UTF_8));
            headers.add("ce_source", "line-1/press-07".getBytes(StandardCharsets.UTF_8));
            headers.add("binary", new byte[] {0, (byte) i, (byte) 0xff});
            producer.send(new ProducerRecord<>(COPY, null, "press-" + i, "{\"value\":" + i + "}", headers));
        }
        producer.flush();

        try (KafkaRecords bi = new KafkaRecords(ExternalCluster.as(config, "bi").clientProperties(), "bi-test-copy",
                "plant-a." + COPY)) {
            List<ConsumerRecord<String, String>> copies = bi.await(r -> true, 50, Duration.ofSeconds(60));
            assertEquals(50, copies.size());
            for (ConsumerRecord<String, String> copy : copies) {
                int i = Integer.parseInt(copy.key().substring("press-".length()));
                assertEquals("{\"value\":" + i + "}", copy.value());
                Header[] headers = copy.headers().toArray();
                assertEquals(List.of("ce_id", "ce_source", "binary"), Arrays.stream(headers).map(Header::key).toList());
                assertEquals("id-" + i, new String(headers[0].value(), StandardCharsets.UTF_8));
                assertEquals("line-1/press-07", new String(headers[1].value(), StandardCharsets.UTF_8));
                assertTrue(Arrays.equals(new byte[] {0, (byte) i, (byte) 0xff}, headers[2].value()));
            }
            bi.commit(); // bi's own group: allowed
        }
    }

    @Test
    void should_lose_no_record_when_mirror_maker_restarts_in_the_middle_of_copying_100000() throws Exception {
        int total = 100_000;
        String padding = "x".repeat(180);
        Thread load = new Thread(() -> {
            for (int i = 0; i < total; i++) {
                producer.send(new ProducerRecord<>(RESTART, Integer.toString(i), i + padding));
                if (i % 10_000 == 9_999) {
                    sleep(250); // ~5 s of load: the restart happens while records still arrive
                }
            }
            producer.flush();
        }, "restart-load");
        load.start();
        try (Admin external = Admin.create(new HashMap<String, Object>(ExternalCluster.as(config, "bi").clientProperties()))) {
            Waits.atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> mirrored(external, "plant-a." + RESTART) >= 20_000);
            mirror.close();
            long atStop = mirrored(external, "plant-a." + RESTART);
            assertTrue(atStop < total, "the restart must happen mid-copy, but " + atStop + " were already mirrored");
            mirror = MirrorRunner.start(config);
        }
        load.join();

        BitSet seen = new BitSet(total);
        Map<String, Object> props = new HashMap<>(ExternalCluster.as(config, "bi").clientProperties());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bi-test-restart");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        try (KafkaConsumer<String, String> bi = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            bi.subscribe(List.of("plant-a." + RESTART));
            Waits.within(Duration.ofSeconds(90), Waits.BACK_TO_BACK, () -> {
                for (ConsumerRecord<String, String> record : bi.poll(Duration.ofMillis(500))) {
                    seen.set(Integer.parseInt(record.key()));
                }
                return seen.cardinality() >= total;
            });
        }
        assertEquals(total, seen.cardinality(), "records missing on the mirror, first: " + seen.nextClearBit(0));
    }

    @Test
    void should_report_injected_lag_as_records_and_seconds_behind() throws Exception {
        long past = System.currentTimeMillis() - 90_000;
        for (int i = 0; i < 20; i++) {
            producer.send(new ProducerRecord<>(FRESHNESS, null, past, "m-" + i, "old"));
        }
        producer.flush();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (MirrorFreshness freshness = MirrorFreshness.create(config).publish(registry, 200)) {
            Waits.atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> lag(freshness).recordsBehind() == 0);

            mirror.close(); // the injected lag: the mirror stops, the factory goes on
            try {
                long now = System.currentTimeMillis();
                for (int i = 0; i < 300; i++) {
                    producer.send(new ProducerRecord<>(FRESHNESS, null, now, "m-" + i, "new"));
                }
                producer.flush();
                MirrorFreshness.TopicLag lag = lag(freshness);
                assertEquals(300, lag.recordsBehind());
                assertEquals((now - past) / 1000.0, lag.secondsBehind(), 1.0);
                Waits.atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                        .until(() -> gauge(registry, "factory.mirror.records.behind") == 300);
                assertEquals((now - past) / 1000.0, gauge(registry, "factory.mirror.seconds.behind"), 1.0);
                String status = mirrorStatus();
                // seconds behind = now - past: 90 s plus however long the mirror took to catch up first
                long behind = (now - past) / 1000;
                assertTrue(status.matches("(?s).*plant-a\\." + FRESHNESS.replace(".", "\\.") + " +300 +(" + (behind - 1) + "|"
                        + behind + "|" + (behind + 1) + ")\\.\\d.*"), status);
            } finally {
                mirror = MirrorRunner.start(config);
            }
            Waits.atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> lag(freshness).recordsBehind() == 0);
            assertEquals(0.0, lag(freshness).secondsBehind());
        }
    }

    /** {@code ./factory-hub mirror status} with this test's configuration, its output. */
    private static String mirrorStatus() throws Exception {
        Path file = Files.createTempFile("mirror-status", ".properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            config.asProperties().store(writer, null);
        }
        StringWriter out = new StringWriter();
        int exit = FactoryHubCli.execute(new PrintWriter(out), new PrintWriter(new StringWriter()), "mirror", "status", "--config",
                file.toString());
        assertEquals(0, exit, out.toString());
        return out.toString();
    }

    private static MirrorFreshness.TopicLag lag(MirrorFreshness freshness) {
        try {
            return freshness.measure().stream().filter(l -> l.topic().equals(FRESHNESS)).findFirst().orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double gauge(SimpleMeterRegistry registry, String name) {
        var gauge = registry.find(name).tag("topic", FRESHNESS).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private static long mirrored(Admin admin, String topic) {
        try {
            int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < partitions; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            return 0; // not created yet
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
