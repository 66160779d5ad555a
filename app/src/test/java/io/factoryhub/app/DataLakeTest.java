package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.LakeInS3;
import io.factoryhub.app.support.LakeUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.TopicRecords;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.s3.EmbeddedS3;
import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The data lake flow: Kafka topics -> S3 objects, on a real Kafka and a real S3 API server (s3proxy). */
class DataLakeTest {

    private static final TestPlant PLANT = TestPlant.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter HOUR_FOLDER = DateTimeFormatter.ofPattern("'date='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);
    /** Two minutes either side of an hour boundary: every partition's records span two hour folders. */
    private static final long BASE = Instant.parse("2026-11-22T09:58:00Z").toEpochMilli();

    @Test
    void should_store_every_record_once_in_hive_style_objects_matching_kafka() throws Exception {
        String topic = "lake-exact-" + UUID.randomUUID();
        TopicRecords.create(PLANT.bootstrapServers(), topic, 3);
        try (TopicRecords records = new TopicRecords(PLANT.bootstrapServers())) {
            for (int i = 0; i < 600; i++) {
                int partition = i % 3;
                records.send(topic, partition, BASE + i * 400L, "press-0" + (i % 5), value(i), "id-" + i);
            }
            records.flush();
        }
        HubConfig config = LakeUnderTest.config(PLANT, topic, Map.of("factory.lake.roll.records", "70",
                "factory.lake.roll.interval-ms", "2000"));
        try (LakeUnderTest lake = LakeUnderTest.start(config); LakeInS3 s3 = LakeInS3.of(PLANT)) {
            s3.await(topic + "/", lines -> lines.size() >= 600, Duration.ofSeconds(30));
            lake.close();
            List<ConsumerRecord<String, String>> inKafka = readAll(topic);
            assertEquals(600, inKafka.size());
            Pattern layout = Pattern.compile(Pattern.quote(topic) + "/(date=\\d{4}-\\d{2}-\\d{2}/hour=\\d{2})/"
                    + Pattern.quote(topic) + "\\+(\\d)\\+(\\d+)\\.ndjson\\.gz");
            List<String> keys = s3.keys(topic + "/");
            for (int partition = 0; partition < 3; partition++) {
                List<JsonNode> stored = new ArrayList<>();
                for (String key : byFirstOffset(keys, layout, partition)) {
                    Matcher m = layout.matcher(key);
                    assertTrue(m.matches(), key);
                    List<JsonNode> lines = s3.lines(key);
                    assertEquals(Long.parseLong(m.group(3)), lines.get(0).get("offset").asLong(), "key names the first offset: " + key);
                    for (JsonNode line : lines) {
                        assertEquals(m.group(1), HOUR_FOLDER.format(Instant.parse(line.get("timestamp").asText())),
                                "hour folder from the record timestamp: " + key);
                    }
                    stored.addAll(lines);
                }
                int p = partition;
                List<ConsumerRecord<String, String>> expected = inKafka.stream().filter(r -> r.partition() == p)
                        .sorted(Comparator.comparingLong(ConsumerRecord::offset)).toList();
                assertEquals(expected.size(), stored.size(), "records of partition " + p);
                for (int i = 0; i < expected.size(); i++) {
                    assertSameRecord(expected.get(i), stored.get(i));
                }
            }
            assertTrue(keys.stream().anyMatch(k -> k.contains("hour=09")) && keys.stream().anyMatch(k -> k.contains("hour=10")), keys.toString());
        }
    }

    @Test
    void should_land_a_quiet_topic_within_the_roll_interval() throws Exception {
        String topic = "lake-quiet-" + UUID.randomUUID();
        TopicRecords.create(PLANT.bootstrapServers(), topic, 1);
        HubConfig config = LakeUnderTest.config(PLANT, topic, Map.of("factory.lake.roll.interval-ms", "2000"));
        try (LakeUnderTest lake = LakeUnderTest.start(config); LakeInS3 s3 = LakeInS3.of(PLANT);
                TopicRecords records = new TopicRecords(PLANT.bootstrapServers())) {
            Thread.sleep(2_000); // the consumer has joined: the clock starts at the records, not at the start-up
            long sent = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                records.send(topic, 0, System.currentTimeMillis(), "quiet", value(i), null);
            }
            records.flush();
            List<JsonNode> lines = s3.await(topic + "/", l -> l.size() >= 3, Duration.ofSeconds(20));
            long visibleMs = (System.nanoTime() - sent) / 1_000_000;
            assertEquals(3, lines.size());
            assertTrue(visibleMs <= 2_000 + 5_000, "visible after " + visibleMs + " ms");
        }
    }

    /**
     * The state a kill between PutObject and the offset commit leaves behind is exactly: the partition's last object
     * stored, the committed offset still at that object's first record. Rewinding the group's offset to there
     * reproduces it deterministically; the restarted writer (with another roll size, as after a config change) must
     * overwrite that object, not add a second copy of its records.
     */
    @Test
    void should_not_double_records_when_the_hub_dies_between_upload_and_commit() throws Exception {
        String topic = "lake-crash-" + UUID.randomUUID();
        TopicRecords.create(PLANT.bootstrapServers(), topic, 1);
        HubConfig config = LakeUnderTest.config(PLANT, topic, Map.of("factory.lake.roll.records", "100",
                "factory.lake.roll.interval-ms", "2000"));
        try (LakeInS3 s3 = LakeInS3.of(PLANT); TopicRecords records = new TopicRecords(PLANT.bootstrapServers())) {
            long now = System.currentTimeMillis();
            for (int i = 0; i < 450; i++) {
                records.send(topic, 0, now, "m", value(i), null);
            }
            records.flush();
            try (LakeUnderTest lake = LakeUnderTest.start(config)) {
                s3.await(topic + "/", l -> l.size() >= 400, Duration.ofSeconds(30));
            } // the open object 400..449 is stored by time or by the graceful stop
            assertEquals(450, s3.allLines(topic + "/").size());
            rewindGroup(config.get("factory.lake.group-id"), new TopicPartition(topic, 0), 400);

            for (int i = 450; i < 550; i++) {
                records.send(topic, 0, now, "m", value(i), null);
            }
            records.flush();
            try (LakeUnderTest lake = LakeUnderTest.start(config.with("factory.lake.roll.records", "120"))) {
                s3.await(topic + "/", l -> offsets(l).size() >= 550, Duration.ofSeconds(30));
            }
            List<Long> offsets = offsets(s3.allLines(topic + "/"));
            assertEquals(550, offsets.size(), "each record once: " + s3.keys(topic + "/"));
            assertEquals(550, offsets.stream().distinct().count());
        }
    }

    @Test
    void should_store_everything_after_s3_was_down_and_say_so_meanwhile() throws Exception {
        String topic = "lake-s3down-" + UUID.randomUUID();
        TopicRecords.create(PLANT.bootstrapServers(), topic, 2);
        Path store = Files.createTempDirectory("factory-hub-s3-down");
        int port = FreePorts.next();
        String endpoint = "http://localhost:" + port;
        EmbeddedS3 s3Server = new EmbeddedS3(store, port, "datalake", "down-key", "down-secret").start();
        Map<String, String> lakeConfig = Map.of("factory.lake.enabled", "true", "factory.lake.topics", Pattern.quote(topic),
                "factory.lake.group-id", "lake-" + topic, "factory.lake.roll.interval-ms", "1000",
                "factory.lake.retry.max-backoff-ms", "2000", "s3.endpoint", endpoint, "s3.access-key", "down-key",
                "s3.secret-key", "down-secret");
        try (HubUnderTest hub = new HubUnderTest(PLANT, lakeConfig).start();
                TopicRecords records = new TopicRecords(PLANT.bootstrapServers());
                LakeInS3 s3 = new LakeInS3(endpoint, "datalake", "down-key", "down-secret")) {
            s3Server.close();
            for (int i = 0; i < 500; i++) {
                records.send(topic, i % 2, System.currentTimeMillis(), "m" + i % 7, value(i), null);
            }
            records.flush();
            awaitHttp(hub, "/health?exposureLevel=full", body -> body.contains("data-lake") && body.contains("S3 uploads failing"));
            awaitHttp(hub, "/metrics", body -> body.lines().anyMatch(l -> l.startsWith("factory_lake_pending_uploads") && !l.endsWith(" 0.0")));
            Thread.sleep(3_000); // a few failed retries

            s3Server = new EmbeddedS3(store, port, "datalake", "down-key", "down-secret").start();
            List<JsonNode> lines = s3.await(topic + "/", l -> l.size() >= 500, Duration.ofSeconds(30));
            assertEquals(500, offsets(lines).stream().distinct().count());
            assertEquals(500, lines.size());
            awaitHttp(hub, "/health?exposureLevel=full", body -> body.startsWith("200 "));
            assertTrue(hub.http("/metrics").lines().anyMatch(l -> l.startsWith("factory_lake_upload_failures_total") && !l.endsWith(" 0.0")));
        } finally {
            s3Server.close();
        }
    }

    @Test
    void should_keep_the_hub_running_and_say_why_when_the_lake_is_misconfigured() throws Exception {
        try (HubUnderTest hub = new HubUnderTest(PLANT, Map.of("factory.lake.enabled", "true", "s3.endpoint", "not a url",
                "s3.access-key", "k", "s3.secret-key", "s")).start()) {
            assertTrue(hub.runtime().context().getRouteController().getRouteStatus("deadletter").isStarted());
            String health = hub.http("/health?exposureLevel=full");
            assertTrue(health.contains("data-lake") && health.contains("Data lake is off"), health);
        }
    }

    /** Telemetry-like JSON, with a few records a lake must keep apart: raw text, a tombstone, multi-line JSON. */
    private static String value(int i) {
        return switch (i % 50) {
            case 7 -> "not json {" + i;
            case 8 -> null;
            case 9 -> "{\n  \"pretty\": " + i + "\n}";
            default -> "{\"machineId\":\"press-0" + (i % 5) + "\",\"tag\":\"vibration\",\"value\":" + (i * 0.25) + ",\"n\":" + i + "}";
        };
    }

    private static void assertSameRecord(ConsumerRecord<String, String> expected, JsonNode line) throws Exception {
        String where = "offset " + expected.offset() + ": " + line;
        assertEquals(expected.offset(), line.get("offset").asLong(), where);
        assertEquals(expected.partition(), line.get("partition").asInt(), where);
        assertEquals(expected.timestamp(), Instant.parse(line.get("timestamp").asText()).toEpochMilli(), where);
        assertEquals(expected.key(), line.get("key").asText(), where);
        assertEquals("ce_id", line.get("headers").get(0).get("key").asText(), where);
        assertEquals(new String(expected.headers().lastHeader("ce_id").value()), line.get("headers").get(0).get("value").asText(), where);
        if (expected.value() == null) {
            assertTrue(line.get("value").isNull(), where);
        } else if (line.has("value_text")) {
            assertEquals(expected.value(), line.get("value_text").asText(), where);
            assertTrue(expected.value().startsWith("not json") || expected.value().contains("\n"), where);
        } else {
            assertEquals(JSON.readTree(expected.value()), line.get("value"), where);
        }
    }

    private static List<String> byFirstOffset(List<String> keys, Pattern layout, int partition) {
        return keys.stream().map(layout::matcher).filter(Matcher::matches).filter(m -> Integer.parseInt(m.group(2)) == partition)
                .sorted(Comparator.comparingLong(m -> Long.parseLong(m.group(3)))).map(Matcher::group).toList();
    }

    static List<Long> offsets(List<JsonNode> lines) {
        return lines.stream().map(l -> l.get("partition").asLong() * 1_000_000 + l.get("offset").asLong()).collect(Collectors.toList());
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        List<ConsumerRecord<String, String>> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, PLANT.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            Waits.within(Duration.ofSeconds(20), Waits.BACK_TO_BACK, () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
                return all.size() >= 600;
            });
        }
        return all;
    }

    private static void rewindGroup(String group, TopicPartition partition, long offset) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, PLANT.bootstrapServers()))) {
            admin.alterConsumerGroupOffsets(group, Map.of(partition, new OffsetAndMetadata(offset))).all().get();
        }
    }

    private static void awaitHttp(HubUnderTest hub, String path, java.util.function.Predicate<String> ok) {
        Waits.atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            String body = hub.http(path);
            assertTrue(ok.test(body), path + " not as expected: " + body);
        });
    }
}
