package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.LakeInS3;
import io.factoryhub.app.support.LakeUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.TopicRecords;
import io.factoryhub.hub.config.HubConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The replay flow: lake objects back into Kafka with {@code ./factory-hub replay}, on real Kafka and S3. */
class LakeReplayTest {

    private static final TestPlant PLANT = TestPlant.shared();
    /** Records of one hour (10:00-11:00) and the next, two partitions. */
    private static final long BASE = Instant.parse("2026-11-22T10:50:00Z").toEpochMilli();
    private static final int RECORDS = 400;
    private static final String TOPIC = "replay-src-" + UUID.randomUUID();
    private static HubConfig config;

    @BeforeAll
    static void fillTheLake() throws Exception {
        TopicRecords.create(PLANT.bootstrapServers(), TOPIC, 2);
        try (TopicRecords records = new TopicRecords(PLANT.bootstrapServers())) {
            for (int i = 0; i < RECORDS; i++) {
                String value = i % 40 == 3 ? "raw text " + i : "{\"machineId\":\"m-" + (i % 4) + "\",\"n\":" + i + ",\"value\":1.50}";
                records.send(TOPIC, i % 2, BASE + i * 5_000L, "m-" + (i % 4), value, "ce-" + i);
            }
            records.flush();
        }
        config = LakeUnderTest.config(PLANT, TOPIC, Map.of("factory.lake.roll.records", "60", "factory.lake.roll.interval-ms", "1000"));
        try (LakeUnderTest lake = LakeUnderTest.start(config); LakeInS3 s3 = LakeInS3.of(PLANT)) {
            s3.await(TOPIC + "/", lines -> lines.size() >= RECORDS, Duration.ofSeconds(30));
        }
    }

    @Test
    void should_replay_a_period_into_kafka_with_keys_headers_timestamps_and_partition_order() throws Exception {
        String target = "replay-dst-" + UUID.randomUUID();
        TopicRecords.create(PLANT.bootstrapServers(), target, 2);
        Instant from = Instant.ofEpochMilli(BASE + 100 * 5_000L); // half-way: tests the time filter, across the hour boundary
        Instant to = Instant.ofEpochMilli(BASE + 350 * 5_000L);
        StringWriter out = new StringWriter();
        int exit = replay(out, "--topic", TOPIC, "--from", from.toString(), "--to", to.toString(), "--target-topic", target);
        assertEquals(0, exit, out.toString());
        assertTrue(out.toString().contains("replay: done, 250 records"), out.toString());

        List<ConsumerRecord<String, String>> source;
        List<ConsumerRecord<String, String>> replayed;
        try (KafkaRecords src = new KafkaRecords(PLANT.bootstrapServers(), TOPIC);
                KafkaRecords dst = new KafkaRecords(PLANT.bootstrapServers(), target)) {
            source = src.await(r -> r.timestamp() >= from.toEpochMilli() && r.timestamp() < to.toEpochMilli(), 250, Duration.ofSeconds(20));
            replayed = dst.await(r -> true, 250, Duration.ofSeconds(20));
            assertEquals(250, dst.settle(r -> true, Duration.ofMillis(500)).size(), "nothing twice");
        }
        for (int partition = 0; partition < 2; partition++) {
            List<ConsumerRecord<String, String>> expected = inPartition(source, partition);
            List<ConsumerRecord<String, String>> actual = inPartition(replayed, partition);
            assertEquals(expected.size(), actual.size(), "partition " + partition);
            for (int i = 0; i < expected.size(); i++) {
                ConsumerRecord<String, String> e = expected.get(i);
                ConsumerRecord<String, String> a = actual.get(i);
                assertEquals(e.key(), a.key());
                assertEquals(e.value(), a.value(), "byte-exact value");
                assertEquals(e.timestamp(), a.timestamp());
                assertEquals(KafkaRecords.header(e, "ce_id"), KafkaRecords.header(a, "ce_id"));
            }
        }
    }

    @Test
    void should_report_a_corrupt_object_and_replay_the_rest() throws Exception {
        String target = "replay-corrupt-" + UUID.randomUUID();
        TopicRecords.create(PLANT.bootstrapServers(), target, 2);
        String hour = TOPIC + "/date=2026-11-22/hour=10/";
        String notGzip = hour + TOPIC + "+0+900000.ndjson.gz";
        String notRecords = hour + TOPIC + "+1+900000.ndjson.gz";
        StringWriter out = new StringWriter();
        int exit;
        try (LakeInS3 s3 = LakeInS3.of(PLANT)) {
            s3.put(notGzip, "this is not gzip".getBytes(StandardCharsets.UTF_8));
            s3.put(notRecords, gzip("{\"half\": a record\n"));
            try {
                exit = replay(out, "--topic", TOPIC, "--from", "2026-11-22", "--to", "2026-11-23", "--target-topic", target);
            } finally {
                s3.delete(notGzip); // the other test replays the same hour
                s3.delete(notRecords);
            }
        }
        assertEquals(1, exit, "corrupt objects make the exit code 1: " + out);
        assertTrue(out.toString().contains("CORRUPT " + notGzip), out.toString());
        assertTrue(out.toString().contains("CORRUPT " + notRecords), out.toString());
        try (KafkaRecords dst = new KafkaRecords(PLANT.bootstrapServers(), target)) {
            dst.await(r -> true, RECORDS, Duration.ofSeconds(20));
            assertEquals(RECORDS, dst.settle(r -> true, Duration.ofMillis(500)).size());
        }
    }

    private static int replay(StringWriter out, String... args) {
        Path configFile = LakeUnderTest.configFile(config);
        String[] all = new String[args.length + 3];
        all[0] = "replay";
        all[1] = "--config";
        all[2] = configFile.toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return FactoryHubCli.execute(new PrintWriter(out, true), new PrintWriter(out, true), all);
    }

    private static List<ConsumerRecord<String, String>> inPartition(List<ConsumerRecord<String, String>> records, int partition) {
        return records.stream().filter(r -> r.partition() == partition).sorted(Comparator.comparingLong(ConsumerRecord::offset)).toList();
    }

    private static byte[] gzip(String text) throws Exception {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
