package io.factoryhub.app;

import static io.factoryhub.app.support.StateTopics.await;
import static io.factoryhub.app.support.StateTopics.changes;
import static io.factoryhub.app.support.StateTopics.event;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.app.support.StateTopics;
import io.factoryhub.app.support.TestPlant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rules on the control topic into machine states ({@code hub/.../streams/state}), one hub for the class on topics of
 * its own; each test its own machines. Short clocks: 2 s out of order, sources idle after 3 s, OFFLINE after 5 s.
 */
class MachineStateRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final StateTopics TOPICS = new StateTopics(TestPlant.shared());

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(TOPICS.hubConfig("rules", Map.of(
            "factory.rules.out-of-order-ms", "2000",
            "factory.rules.idle-timeout-ms", "3000",
            "factory.rules.offline-after-ms", "5000",
            "factory.rules.tick-ms", "200")), hub -> { });

    @AfterAll
    static void closeTopics() {
        TOPICS.close();
    }

    @Test
    void should_fire_a_rule_published_on_the_control_topic() {
        TOPICS.publishRule("fire-hot", hot("fire-.*", 80, null));
        temperature("fire-01", 85, 0);
        temperature("fire-01", 86, 2); // the watermark (2 s out of order) passes the first

        try (KafkaRecords events = TOPICS.events("fire")) {
            List<ConsumerRecord<String, String>> records = await(events, "fire-01", 2, WAIT);
            assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING"), changes(records).subList(0, 2));
            JsonNode warning = event(records.get(1));
            assertEquals("fire-hot", warning.path("rule").asText());
            assertEquals("thermal", warning.path("group").asText());
            assertEquals("2026-11-22T10:00:00Z", warning.path("since").asText());
            assertEquals(85.0, warning.path("values").path("temperature").asDouble());
            assertEquals("plant-a", warning.path("site").asText());
            assertEquals("line-1", warning.path("line").asText());
        }
    }

    @Test
    void should_apply_a_changed_threshold_and_refuse_a_broken_rule() {
        TOPICS.publishRule("change-hot", hot("change-.*", 80, null));
        temperature("change-01", 85, 0);
        temperature("change-01", 85, 2);
        try (KafkaRecords events = TOPICS.events("change")) {
            await(events, "change-01", 2, WAIT);

            TOPICS.publishRule("change-hot", hot("change-.*", 90, null)); // 85 no longer above it
            assertEquals("WARNING>ACTIVE", changes(await(events, "change-01", 3, WAIT)).get(2));
            temperature("change-01", 95, 4);
            temperature("change-01", 95, 6);
            List<ConsumerRecord<String, String>> records = await(events, "change-01", 4, WAIT);
            assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING", "WARNING>ACTIVE", "ACTIVE>WARNING"), changes(records).subList(0, 4));
            assertEquals(95.0, event(records.get(3)).path("values").path("temperature").asDouble());

            double refused = metric("factory_rules_refused_total");
            TOPICS.publishRaw("change-hot", "{\"apiVersion\":\"factory-hub/v1\",\"kind\":\"Rule\",\"metadata\":{\"name\":"
                    + "\"change-hot\"},\"spec\":{\"group\":\"thermal\",\"state\":\"WARNING\",\"when\":{\"all\":[{\"tag\":"
                    + "\"temperature\",\"op\":\"=>\",\"value\":90}]}}}");
            Awaitility.await().atMost(WAIT).until(() -> metric("factory_rules_refused_total") > refused);
            // the refused record took the rule's previous version out of effect
            assertEquals("WARNING>ACTIVE", changes(await(events, "change-01", 5, WAIT)).get(4));
        }
    }

    @Test
    void should_stop_a_deleted_rule() {
        TOPICS.publishRule("gone-hot", hot("gone-.*", 80, null));
        temperature("gone-01", 85, 0);
        temperature("gone-01", 85, 2);
        try (KafkaRecords events = TOPICS.events("gone")) {
            await(events, "gone-01", 2, WAIT);

            TOPICS.publishRaw("gone-hot", null);

            assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING", "WARNING>ACTIVE"), changes(await(events, "gone-01", 3, WAIT)).subList(0, 3));
        }
    }

    @Test
    void should_hold_a_duration_on_event_time_with_out_of_order_and_late_readings() throws Exception {
        TOPICS.publishRule("long-hot", hot("long-.*", 80, "10s"));
        double late = metric("factory_rules_readings_late_total");
        temperature("long-01", 85, 0);
        temperature("long-01", 86, 4);
        temperature("long-01", 70, 3);  // 1 s out of order, allowed: applied before 4 s, so the run starts again at 4 s
        temperature("long-01", 90, 8);  // watermark 6 s
        temperature("long-01", 60, 5);  // older than the watermark: late, not applied (it would break the run)
        temperature("long-01", 91, 13);
        temperature("long-01", 92, 16); // watermark 14 s = 4 s + 10 s

        try (KafkaRecords events = TOPICS.events("long")) {
            List<ConsumerRecord<String, String>> records = await(events, "long-01", 2, WAIT);
            assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING"), changes(records).subList(0, 2));
            assertEquals("2026-11-22T10:00:14Z", event(records.get(1)).path("since").asText(), "held since 4 s, for 10 s");
            Awaitility.await().atMost(WAIT).until(() -> metric("factory_rules_readings_late_total") >= late + 1);
        }
    }

    @Test
    void should_stop_waiting_for_a_silent_source_after_the_idle_timeout() throws Exception {
        TOPICS.publishRule("idle-hot", hot("idle-.*", 80, "3s"));
        TOPICS.reading("idle-01", "vib-1", "vibration", 1.0, T0);
        long silentFrom = System.currentTimeMillis();
        try (KafkaRecords events = TOPICS.events("idle")) {
            for (int s = 0; s <= 20; s++) { // temperature goes on, vibration says nothing more
                temperature("idle-01", 85, s);
                Thread.sleep(250);
            }
            List<ConsumerRecord<String, String>> records = await(events, "idle-01", 2, WAIT);
            assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING"), changes(records).subList(0, 2));
            JsonNode warning = event(records.get(1));
            assertEquals("2026-11-22T10:00:03Z", warning.path("since").asText());
            long detected = Instant.parse(warning.path("detectedAt").asText()).toEpochMilli();
            assertTrue(detected - silentFrom >= 3000, "the silent vibration held the watermark back for its idle timeout, "
                    + "detected after " + (detected - silentFrom) + " ms");
        }
    }

    @Test
    void should_resolve_conflicting_groups_by_weight() {
        TOPICS.publishRule("weight-warm", hot("weight-.*", 80, null));
        TOPICS.publishRule("weight-shaking", "\"machines\":\"weight-.*\",\"group\":\"mechanical\",\"weight\":50,"
                + "\"state\":\"ALARM\",\"when\":{\"any\":[{\"tag\":\"vibration\",\"op\":\">\",\"value\":6}]}");
        for (int s = 0; s <= 12; s += 4) {
            temperature("weight-01", 85, s);
            TOPICS.reading("weight-01", "vib-1", "vibration", s == 0 ? 7.0 : 1.0, T0.plusSeconds(s + 1));
        }

        try (KafkaRecords events = TOPICS.events("weight")) {
            List<ConsumerRecord<String, String>> records = await(events, "weight-01", 4, WAIT);
            assertEquals(List.of("null>ACTIVE", "ACTIVE>WARNING", "WARNING>ALARM", "ALARM>WARNING"), changes(records).subList(0, 4));
            JsonNode alarm = event(records.get(2));
            assertEquals("weight-shaking", alarm.path("rule").asText());
            assertEquals("mechanical", alarm.path("group").asText());
            assertEquals("2026-11-22T10:00:01Z", alarm.path("since").asText());
            assertEquals("2026-11-22T10:00:05Z", event(records.get(3)).path("since").asText(), "vibration back to 1 at 5 s");
        }
    }

    @Test
    void should_report_offline_after_silence_and_active_on_the_next_reading() {
        temperature("quiet-01", 20, 0);
        try (KafkaRecords events = TOPICS.events("quiet")) {
            List<ConsumerRecord<String, String>> records = await(events, "quiet-01", 2, WAIT);
            assertEquals(List.of("null>ACTIVE", "ACTIVE>OFFLINE"), changes(records).subList(0, 2));
            JsonNode offline = event(records.get(1));
            assertEquals("2026-11-22T10:00:00Z", offline.path("since").asText(), "offline since its newest reading");
            long silence = Instant.parse(offline.path("detectedAt").asText()).toEpochMilli()
                    - Instant.parse(event(records.get(0)).path("detectedAt").asText()).toEpochMilli();
            assertTrue(silence >= 5000 && silence < 15000, "OFFLINE after 5 s of silence, was " + silence + " ms");

            temperature("quiet-01", 20, 60);
            assertEquals("OFFLINE>ACTIVE", changes(await(events, "quiet-01", 3, WAIT)).get(2));
        }
    }

    @Test
    void should_apply_a_rule_only_while_the_mes_context_matches() {
        TOPICS.context("ctx-01", "{\"machineId\":\"ctx-01\",\"site\":\"plant-a\",\"line\":\"line-1\",\"product_code\":\"BRK-300\","
                + "\"work_order_status\":\"running\"}");
        TOPICS.publishRule("ctx-hot", hot("ctx-.*", 80, null).replace("\"group\"", "\"context\":{\"product_code\":\"BRK-220\"},\"group\""));
        try (KafkaRecords events = TOPICS.events("ctx")) {
            for (int s = 0; s <= 4; s += 2) {
                temperature("ctx-01", 85, s);
            }
            assertEquals(List.of("null>ACTIVE"), changes(events.settle(r -> "ctx-01".equals(r.key()), Duration.ofSeconds(2))),
                    "BRK-300 runs: the BRK-220 rule does not apply");

            TOPICS.context("ctx-01", "{\"machineId\":\"ctx-01\",\"product_code\":\"BRK-220\",\"work_order_status\":\"running\"}");
            assertEquals("ACTIVE>WARNING", changes(await(events, "ctx-01", 2, WAIT)).get(1));
            TOPICS.context("ctx-01", "{\"machineId\":\"ctx-01\",\"product_code\":\"BRK-300\",\"work_order_status\":\"running\"}");
            assertEquals("WARNING>ACTIVE", changes(await(events, "ctx-01", 3, WAIT)).get(2));
        }
    }

    private static String hot(String machines, double above, String holdFor) {
        return "\"machines\":\"" + machines + "\",\"group\":\"thermal\",\"weight\":10,\"state\":\"WARNING\",\"when\":{\"all\":"
                + "[{\"tag\":\"temperature\",\"op\":\">\",\"value\":" + above + (holdFor == null ? "" : ",\"for\":\"" + holdFor + "\"")
                + "}]}";
    }

    private static void temperature(String machineId, double value, int second) {
        TOPICS.reading(machineId, "temp-1", "temperature", value, T0.plusSeconds(second));
    }

    private static double metric(String name) {
        try {
            double value = HUB.hub().metric(name);
            return Double.isNaN(value) ? 0 : value;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
