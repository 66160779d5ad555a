package io.factoryhub.app;

import static io.factoryhub.app.support.StreamsTopicsUnderTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.app.support.SchemaFile;
import io.factoryhub.app.support.StreamsTopicsUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.testkit.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * factory.machine.aggregates on a known input: 1-minute windows per machine and tag, the default grace of 10 s, one
 * record per window and tag with the machine's MES context at the window's close.
 */
class MachineAggregatesTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final double EXACT = 1e-9;
    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    private static final String PRESS = "agg-press-1";
    private static final StreamsTopicsUnderTest TOPICS = new StreamsTopicsUnderTest(TestPlant.shared(), "agg-test");

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(TOPICS.hubConfig(Map.of()), hub -> { });

    @AfterAll
    static void closeTopics() {
        TOPICS.close();
    }

    @Test
    void should_write_exact_figures_once_per_window_counting_late_readings_within_grace_only() {
        runningOrder();
        TOPICS.reading(PRESS, "temperature", 70, T0.plusSeconds(5));
        TOPICS.reading(PRESS, "vibration", 2.0, T0.plusSeconds(10));
        TOPICS.reading(PRESS, "temperature", 72, T0.plusSeconds(15));
        TOPICS.reading(PRESS, "temperature", 75, T0.plusSeconds(30));
        TOPICS.reading(PRESS, "vibration", 4.0, T0.plusSeconds(40));
        TOPICS.reading(PRESS, "temperature", 79, T0.plusSeconds(50));
        TOPICS.reading(PRESS, "temperature", 77, T0.plusSeconds(65));
        // 5 s late, inside the grace (the 08:00 window closes at 08:01:10 of stream time, which is now 08:01:05)
        TOPICS.reading(PRESS, "temperature", 81, T0.plusSeconds(59));
        TOPICS.reading(PRESS, "temperature", 78, T0.plusSeconds(80));
        // stream time is 08:01:20: the 08:00 window closed, this one comes after its grace and counts nowhere
        TOPICS.reading(PRESS, "temperature", 999, T0.plusSeconds(30));
        // a reading without a number (BAD) counts nowhere either
        TOPICS.raw(TOPICS.telemetry(), PRESS, "{\"machineId\":\"" + PRESS + "\",\"tag\":\"temperature\",\"value\":null,"
                + "\"quality\":\"BAD\",\"sourceTime\":\"2026-11-23T08:01:30Z\"}", T0.plusSeconds(90));
        // closes the 08:01 window
        TOPICS.reading(PRESS, "temperature", 60, T0.plusSeconds(150));

        try (KafkaRecords aggregates = new KafkaRecords(TestPlant.shared().bootstrapServers(), TOPICS.aggregates())) {
            List<ConsumerRecord<String, String>> records = aggregates.await(KafkaRecords.keyed(PRESS), 3, WAIT);
            JsonNode first = find(records, "temperature", "2026-11-23T08:00:00Z");
            // 70, 72, 75, 79, 81: sum 377, mean 75.4; squared deviations 29.16 + 11.56 + 0.16 + 12.96 + 31.36 = 85.2
            assertEquals(5, first.path("count").asLong(), first.toString());
            assertEquals(70, first.path("min").asDouble(), EXACT);
            assertEquals(81, first.path("max").asDouble(), EXACT);
            assertEquals(75.4, first.path("avg").asDouble(), EXACT);
            assertEquals(Math.sqrt(85.2 / 5), first.path("stddev").asDouble(), EXACT, "population standard deviation");
            assertEquals("2026-11-23T08:01:00Z", first.path("windowEnd").asText());
            assertEquals("°C", first.path("unit").asText());
            assertEquals("plant-t", first.path("site").asText());
            assertEquals("line-t", first.path("line").asText());
            assertEquals(7001, first.path("work_order_id").asLong(), "the MES context at the window's close");
            assertEquals("WO-AGG-7001", first.path("order_number").asText());
            assertEquals("AGG-100", first.path("product_code").asText());

            JsonNode vibration = find(records, "vibration", "2026-11-23T08:00:00Z");
            // 2.0, 4.0: mean 3, each 1 from it
            assertEquals(2, vibration.path("count").asLong());
            assertEquals(2.0, vibration.path("min").asDouble(), EXACT);
            assertEquals(4.0, vibration.path("max").asDouble(), EXACT);
            assertEquals(3.0, vibration.path("avg").asDouble(), EXACT);
            assertEquals(1.0, vibration.path("stddev").asDouble(), EXACT);
            assertEquals("mm/s", vibration.path("unit").asText());

            JsonNode second = find(records, "temperature", "2026-11-23T08:01:00Z");
            // 77, 78: the late 999 and the BAD reading are in neither window
            assertEquals(2, second.path("count").asLong(), second.toString());
            assertEquals(77, second.path("min").asDouble(), EXACT);
            assertEquals(78, second.path("max").asDouble(), EXACT);
            assertEquals(77.5, second.path("avg").asDouble(), EXACT);
            assertEquals(0.5, second.path("stddev").asDouble(), EXACT);

            assertEquals(3, aggregates.settle(KafkaRecords.keyed(PRESS), Duration.ofSeconds(3)).size(),
                    "one record per closed window and tag (the 08:02 window is still open)");
        }
    }

    private static JsonNode find(List<ConsumerRecord<String, String>> records, String tag, String windowStart) {
        return records.stream().map(r -> valid(r))
                .filter(r -> r.path("tag").asText().equals(tag) && r.path("windowStart").asText().equals(windowStart))
                .findFirst().orElseThrow(() -> new AssertionError("no " + tag + " window from " + windowStart + " in " + records));
    }

    /** The machine runs work order 7001, in the hub's context store before the first window closes. */
    private static void runningOrder() {
        TOPICS.change("equipment", "equipment_id", "r", null, row().put("equipment_id", PRESS).put("site", "plant-t")
                .put("line", "line-t").put("kind", "press").put("status", "running"), T0);
        TOPICS.change("products", "product_code", "r", null, row().put("product_code", "AGG-100")
                .put("ideal_cycle_ms", 2400), T0);
        TOPICS.change("work_orders", "work_order_id", "c", null, MachineContextTest.order(7001, PRESS, "AGG-100", "running")
                .put("order_number", "WO-AGG-7001"), T0);
        ReadOnlyKeyValueStore<String, JsonNode> contexts = HUB.hub().runtime().streams().streams().store(
                StoreQueryParameters.fromNameAndType("machine-context", QueryableStoreTypes.keyValueStore()));
        assertTrue(Waits.within(WAIT, () -> {
            JsonNode context = contexts.get(PRESS);
            return context != null && context.path("work_order_id").asLong() == 7001;
        }), "the machine's context in the global store");
    }

    /** A record of the topic, checked against its schema. */
    private static JsonNode valid(ConsumerRecord<String, String> record) {
        return SchemaFile.MACHINE_AGGREGATE.valid(record.value());
    }
}
