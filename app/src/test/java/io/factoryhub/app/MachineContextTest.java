package io.factoryhub.app;

import static io.factoryhub.app.support.StreamsTopicsUnderTest.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** factory.machine.context from MES change events (Debezium's shape, written by the test) on a hub with streams on. */
class MachineContextTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Instant T0 = Instant.parse("2026-11-23T06:00:00Z");
    private static final StreamsTopicsUnderTest TOPICS = new StreamsTopicsUnderTest(TestPlant.shared(), "ctx-test");

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(TOPICS.hubConfig(Map.of()), hub -> { });

    @AfterAll
    static void closeTopics() {
        TOPICS.close();
    }

    @Test
    void should_carry_the_running_work_order_from_its_start_until_it_completes() {
        equipment("ctx-press-1", "idle");
        product("CTX-100", 1500);
        ObjectNode released = order(901, "ctx-press-1", "CTX-100", "released");
        TOPICS.change("work_orders", "work_order_id", "r", null, released, T0);
        try (KafkaRecords context = new KafkaRecords(TestPlant.shared().bootstrapServers(), TOPICS.context())) {
            JsonNode idle = valid(context.await(KafkaRecords.keyed("ctx-press-1"), 1, WAIT).get(0));
            assertEquals("plant-t", idle.path("site").asText());
            assertEquals("line-t", idle.path("line").asText());
            assertEquals("idle", idle.path("equipment_status").asText());
            assertTrue(idle.path("work_order_id").isNull(), "a released order is not running yet: " + idle);

            // the order starts: the machine runs it
            ObjectNode running = order(901, "ctx-press-1", "CTX-100", "running");
            TOPICS.change("work_orders", "work_order_id", "u", released, running, T0.plusSeconds(60));
            JsonNode started = valid(context.await(KafkaRecords.keyed("ctx-press-1"), 2, WAIT).get(1));
            assertEquals(901, started.path("work_order_id").asLong());
            assertEquals("WO-TEST-901", started.path("order_number").asText());
            assertEquals("CTX-100", started.path("product_code").asText());
            assertEquals("running", started.path("work_order_status").asText());
            assertEquals(1500, started.path("ideal_cycle_ms").asLong());
            assertEquals("2026-11-23T06:01:00Z", started.path("updatedAt").asText(), "the MES change's commit time");

            // a count updates the order's quantities: the context stays as it is (nothing written)
            ObjectNode counted = order(901, "ctx-press-1", "CTX-100", "running").put("quantity_good", 40);
            TOPICS.change("work_orders", "work_order_id", "u", running, counted, T0.plusSeconds(90));
            // the order completes: the machine has no work order any more
            ObjectNode completed = order(901, "ctx-press-1", "CTX-100", "completed").put("quantity_good", 40);
            TOPICS.change("work_orders", "work_order_id", "u", counted, completed, T0.plusSeconds(120));
            List<ConsumerRecord<String, String>> records = context.await(KafkaRecords.keyed("ctx-press-1"), 3, WAIT);
            JsonNode done = valid(records.get(2));
            assertTrue(done.path("work_order_id").isNull(), done.toString());
            assertTrue(done.path("product_code").isNull(), done.toString());
            assertTrue(done.path("ideal_cycle_ms").isNull(), done.toString());
            assertEquals("idle", done.path("equipment_status").asText());
            assertEquals(3, context.settle(KafkaRecords.keyed("ctx-press-1"), Duration.ofSeconds(2)).size(),
                    "one record per change of the context");
        }
    }

    @Test
    void should_drop_a_deleted_work_order_and_skip_a_bad_record() {
        equipment("ctx-press-2", "running");
        product("CTX-200", 2400);
        ObjectNode running = order(902, "ctx-press-2", "CTX-200", "running");
        TOPICS.raw(TOPICS.mes("work_orders"), "{\"work_order_id\":999}", "not a change event {", T0);
        TOPICS.raw(TOPICS.mes("work_orders"), "{\"work_order_id\":998}", "{\"op\":\"u\",\"after\":null}", T0);
        TOPICS.change("work_orders", "work_order_id", "c", null, running, T0.plusSeconds(10));
        try (KafkaRecords context = new KafkaRecords(TestPlant.shared().bootstrapServers(), TOPICS.context())) {
            ConsumerRecord<String, String> withOrder = context.await(r -> r.key().equals("ctx-press-2")
                    && valid(r).path("work_order_id").asLong() == 902, 1, WAIT).get(0);
            assertEquals("CTX-200", valid(withOrder).path("product_code").asText());
            assertEquals(2400, valid(withOrder).path("ideal_cycle_ms").asLong());

            TOPICS.change("work_orders", "work_order_id", "d", running, null, T0.plusSeconds(20));
            JsonNode after = valid(context.await(r -> r.key().equals("ctx-press-2") && r.offset() > withOrder.offset(), 1,
                    WAIT).get(0));
            assertTrue(after.path("work_order_id").isNull(), after.toString());
            assertEquals("running", after.path("equipment_status").asText());

            // the machine leaves the MES: its context is deleted (a tombstone)
            TOPICS.change("equipment", "equipment_id", "d", equipmentRow("ctx-press-2", "running"), null, T0.plusSeconds(30));
            assertTrue(context.await(r -> r.key().equals("ctx-press-2") && r.value() == null, 1, WAIT).size() == 1);
        }
    }

    private static void equipment(String id, String status) {
        TOPICS.change("equipment", "equipment_id", "r", null, equipmentRow(id, status), T0);
    }

    private static ObjectNode equipmentRow(String id, String status) {
        return row().put("equipment_id", id).put("site", "plant-t").put("line", "line-t").put("kind", "press")
                .put("status", status).put("updated_at", "2026-11-23T05:00:00.000000Z");
    }

    private static void product(String code, int idealCycleMs) {
        TOPICS.change("products", "product_code", "r", null, row().put("product_code", code)
                .put("description", "test part").put("unit", "pcs").put("ideal_cycle_ms", idealCycleMs)
                .put("unit_cost", "1.0000"), T0);
    }

    static ObjectNode order(long id, String machineId, String product, String status) {
        ObjectNode order = row().put("work_order_id", id).put("order_number", "WO-TEST-" + id).put("equipment_id", machineId)
                .put("product_code", product).put("quantity_planned", 1000).put("quantity_good", 0)
                .put("quantity_scrap", 0).put("status", status).put("priority", 3);
        order.put("started_at", status.equals("released") ? null : "2026-11-23T06:01:00.000000Z");
        return order;
    }

    /** A record of the topic, checked against its schema. */
    private static JsonNode valid(ConsumerRecord<String, String> record) {
        return SchemaFile.MACHINE_CONTEXT.valid(record.value());
    }
}
