package io.factoryhub.app;

import static io.factoryhub.app.support.StreamsTopicsUnderTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.app.support.SchemaFile;
import io.factoryhub.app.support.StreamsTopicsUnderTest;
import io.factoryhub.app.support.TestPlant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * factory.line.oee on a known input: two presses of one line, state-changed events, MES downtime (planned and not),
 * production counts against the product's ideal cycle time; machine and line results of the 15-minute and 1-hour
 * windows, figures worked out by hand.
 */
class LineOeeTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final double EXACT = 1e-9;
    private static final String LINE = "oee-line";
    private static final String PRESS_1 = "oee-press-1";
    private static final String PRESS_2 = "oee-press-2";
    private static final StreamsTopicsUnderTest TOPICS = new StreamsTopicsUnderTest(TestPlant.shared(), "oee-test");
    /** The OEE part's repartition topic: MES rows from the one-partition MES task to the machines' tasks. */
    private static final String MES_FACTS = TOPICS.applicationId() + "-oee-mes-facts-repartition";

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(TOPICS.hubConfig(Map.of("factory.oee.grace-ms", "60000")), hub -> { });

    @AfterAll
    static void closeTopics() {
        TOPICS.close();
    }

    @Test
    void should_report_exact_oee_per_machine_and_line() {
        mes();
        // bad input is skipped: a state event without a time, a count without counted_at
        TOPICS.raw(TOPICS.events(), PRESS_1, "{\"type\":\"state-changed\",\"machineId\":\"" + PRESS_1
                + "\",\"from\":\"ACTIVE\",\"to\":\"STOPPED\",\"since\":\"yesterday\"}", at("08:01:00"));
        TOPICS.change("production_counts", "count_id", "c", null, row().put("count_id", 99).put("work_order_id", 8001)
                .put("equipment_id", PRESS_1).put("good_count", 1000), at("08:02:00"));
        // press 1: stopped 08:05:00-08:05:30 and a jam in the MES 08:05:15-08:06:00: 60 s down; 300 parts, 6 scrap
        TOPICS.stateChanged(PRESS_1, LINE, "OFFLINE", "ACTIVE", at("07:59:00"));
        TOPICS.stateChanged(PRESS_1, LINE, "ACTIVE", "STOPPED", at("08:05:00"));
        TOPICS.stateChanged(PRESS_1, LINE, "STOPPED", "ACTIVE", at("08:05:30"));
        downtime(1, PRESS_1, "08:05:15", "08:06:00", false);
        count(1, 8001, PRESS_1, "08:07:00", 150, 2);
        count(2, 8001, PRESS_1, "08:14:00", 144, 4);
        // press 2: a planned tool change 08:10-08:12, else running; 300 good parts
        TOPICS.stateChanged(PRESS_2, LINE, "OFFLINE", "ACTIVE", at("07:58:00"));
        downtime(2, PRESS_2, "08:10:00", "08:12:00", true);
        count(3, 8002, PRESS_2, "08:09:00", 300, 0);
        // the count's work order comes after it, later than every count (the count waits for it)
        TOPICS.change("work_orders", "work_order_id", "c", null,
                MachineContextTest.order(8002, PRESS_2, "OEE-240", "running"), at("08:14:30"));
        try (KafkaRecords facts = new KafkaRecords(TestPlant.shared().bootstrapServers(), MES_FACTS)) {
            facts.await(r -> true, 5, WAIT);
        }
        // the state events and MES rows are consumed by the machines' tasks before the readings below move stream time
        // past the windows: in a plant event time moves at the clock's pace, here it jumps an hour at once
        TOPICS.awaitConsumed(TestPlant.shared().bootstrapServers(), List.of(TOPICS.events(), MES_FACTS), WAIT);
        // press 1 sends in the next quarter too (a window without readings or inputs is not reported); at 08:20 stream
        // time is past the 08:00-08:15 window's close (grace 60 s), so only once the MES rows are in
        TOPICS.reading(PRESS_1, "temperature", 70, at("08:20:00"));
        // stream time 09:01:30: the 08:00-09:00 hour and its quarters are closed (grace 60 s)
        TOPICS.reading(PRESS_1, "temperature", 70, at("09:01:30"));
        TOPICS.reading(PRESS_2, "temperature", 70, at("09:01:30"));

        try (KafkaRecords oee = new KafkaRecords(TestPlant.shared().bootstrapServers(), TOPICS.oee())) {
            JsonNode press1 = result(oee, "machine", PRESS_1, "15m", "08:00:00");
            // planned 900 s, down 60 s, run 840 s; ideal 300 x 2.4 s = 720 s; good 294 of 300
            assertFigures(press1, 840.0 / 900, 720.0 / 840, 0.98, 0.784);
            assertInputs(press1, 900_000, 0, 60_000, 840_000, 294, 6, 2400, 720_000);
            assertEquals(30_000, press1.path("inputs").path("stateDowntimeMs").asLong());
            assertEquals(45_000, press1.path("inputs").path("mesDowntimeMs").asLong());
            assertEquals("2026-11-23T08:15:00Z", press1.path("windowEnd").asText());

            JsonNode press2 = result(oee, "machine", PRESS_2, "15m", "08:00:00");
            // planned 900 - 120 = 780 s, run 780 s; ideal 720 s
            assertFigures(press2, 1.0, 720.0 / 780, 1.0, 720.0 / 780);
            assertInputs(press2, 780_000, 120_000, 0, 780_000, 300, 0, 2400, 720_000);

            JsonNode line = result(oee, "line", LINE, "15m", "08:00:00");
            // planned 900 + 780 = 1680 s, run 840 + 780 = 1620 s, ideal 1440 s, good 594 of 600
            assertFigures(line, 1620.0 / 1680, 1440.0 / 1620, 0.99, 1440.0 / 1680 * 0.99);
            assertInputs(line, 1_680_000, 120_000, 60_000, 1_620_000, 594, 6, 2400, 1_440_000);
            assertEquals(List.of(PRESS_1, PRESS_2), List.of(line.path("machines").get(0).asText(),
                    line.path("machines").get(1).asText()));

            JsonNode hour = result(oee, "machine", PRESS_1, "1h", "08:00:00");
            // planned 3600 s, down 60 s, run 3540 s: the same 300 parts in four times the time
            assertFigures(hour, 3540.0 / 3600, 720.0 / 3540, 0.98, 720.0 / 3600 * 0.98);
            JsonNode lineHour = result(oee, "line", LINE, "1h", "08:00:00");
            // planned 3600 + 3480 = 7080 s, run 3540 + 3480 = 7020 s
            assertFigures(lineHour, 7020.0 / 7080, 1440.0 / 7020, 0.99, 1440.0 / 7080 * 0.99);

            JsonNode quiet = result(oee, "machine", PRESS_1, "15m", "08:15:00");
            // ran all along, counted nothing
            assertFigures(quiet, 1.0, 0.0, null, 0.0);

            assertEquals(1, oee.settle(r -> valid(r).path("scope").asText().equals("line")
                    && valid(r).path("window").asText().equals("15m")
                    && valid(r).path("windowStart").asText().equals("2026-11-23T08:00:00Z"), Duration.ofSeconds(3)).size(),
                    "one result per line and window");
        }
    }

    private static JsonNode result(KafkaRecords oee, String scope, String key, String window, String start) {
        Predicate<ConsumerRecord<String, String>> match = r -> r.key().equals(key)
                && valid(r).path("scope").asText().equals(scope) && valid(r).path("window").asText().equals(window)
                && valid(r).path("windowStart").asText().equals(at(start).toString());
        return valid(oee.await(match, 1, WAIT).get(0));
    }

    private static void assertFigures(JsonNode result, double availability, double performance, Double quality, double oee) {
        assertEquals(availability, result.path("availability").asDouble(), EXACT, "availability " + result);
        assertEquals(performance, result.path("performance").asDouble(), EXACT, "performance " + result);
        if (quality == null) {
            assertEquals(true, result.path("quality").isNull(), "quality " + result);
        } else {
            assertEquals(quality, result.path("quality").asDouble(), EXACT, "quality " + result);
        }
        assertEquals(oee, result.path("oee").asDouble(), EXACT, "oee " + result);
    }

    private static void assertInputs(JsonNode result, long plannedTimeMs, long plannedDowntimeMs, long downtimeMs,
                                     long runTimeMs, long good, long scrap, double idealCycleMs, long idealTimeMs) {
        JsonNode inputs = result.path("inputs");
        assertEquals(plannedTimeMs, inputs.path("plannedTimeMs").asLong(), result::toString);
        assertEquals(plannedDowntimeMs, inputs.path("plannedDowntimeMs").asLong(), result::toString);
        assertEquals(downtimeMs, inputs.path("downtimeMs").asLong(), result::toString);
        assertEquals(runTimeMs, inputs.path("runTimeMs").asLong(), result::toString);
        assertEquals(good, inputs.path("goodCount").asLong(), result::toString);
        assertEquals(scrap, inputs.path("scrapCount").asLong(), result::toString);
        assertEquals(idealCycleMs, inputs.path("idealCycleMs").asDouble(), EXACT, result::toString);
        assertEquals(idealTimeMs, inputs.path("idealTimeMs").asLong(), result::toString);
    }

    /** Both presses on the line, press 1 running an order of a 2.4 s product. */
    private static void mes() {
        for (String press : List.of(PRESS_1, PRESS_2)) {
            TOPICS.change("equipment", "equipment_id", "r", null, row().put("equipment_id", press).put("site", "plant-t")
                    .put("line", LINE).put("kind", "press").put("status", "running"), at("07:00:00"));
        }
        TOPICS.change("products", "product_code", "r", null, row().put("product_code", "OEE-240")
                .put("ideal_cycle_ms", 2400), at("07:00:00"));
        TOPICS.change("work_orders", "work_order_id", "c", null,
                MachineContextTest.order(8001, PRESS_1, "OEE-240", "running"), at("07:30:00"));
    }

    private static void downtime(long id, String machineId, String start, String end, boolean planned) {
        ObjectNode row = row().put("downtime_id", id).put("equipment_id", machineId).put("started_at", micros(start))
                .put("ended_at", micros(end)).put("reason_code", planned ? "TOOL_CHANGE" : "JAM").put("planned", planned);
        TOPICS.change("downtime_events", "downtime_id", "c", null, row, at(end));
    }

    private static void count(long id, long order, String machineId, String time, int good, int scrap) {
        ObjectNode row = row().put("count_id", id).put("work_order_id", order).put("equipment_id", machineId)
                .put("counted_at", micros(time)).put("good_count", good).put("scrap_count", scrap).put("cycle_time_ms", 2450);
        TOPICS.change("production_counts", "count_id", "c", null, row, at(time));
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-23T" + time + "Z");
    }

    /** A timestamptz as Debezium writes it (ZonedTimestamp, microseconds). */
    private static String micros(String time) {
        return "2026-11-23T" + time + ".000000Z";
    }

    /** A record of the topic, checked against its schema. */
    private static JsonNode valid(ConsumerRecord<String, String> record) {
        return SchemaFile.LINE_OEE.valid(record.value());
    }
}
