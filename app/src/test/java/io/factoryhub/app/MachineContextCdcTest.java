package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.app.support.CdcTestDatabase;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.SchemaFile;
import io.factoryhub.app.support.StreamsTopicsUnderTest;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.hub.cdc.CdcEngine;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The machine context end to end: the MES database's seed and changes, through the real CDC engine, into the hub. */
class MachineContextCdcTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static CdcTestDatabase db;
    private static StreamsTopicsUnderTest topics;
    private static HubUnderTest hub;

    @BeforeAll
    static void start() throws Exception {
        db = CdcTestDatabase.create(TestPlant.shared(), "ctx_cdc", Map.of());
        CdcEngine engine = db.startEngine();
        assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> "CDC did not start: " + engine.failure().orElse(""));
        topics = new StreamsTopicsUnderTest(TestPlant.shared(), "ctx-cdc-test");
        hub = new HubUnderTest(TestPlant.shared(), topics.hubConfig(
                Map.of("factory.cdc.config", db.config().get("factory.cdc.config")))).start();
    }

    @AfterAll
    static void stop() {
        hub.close();
        topics.close();
        db.close();
    }

    @Test
    void should_follow_work_orders_from_the_mes_database() throws Exception {
        try (KafkaRecords context = new KafkaRecords(TestPlant.shared().bootstrapServers(), topics.context())) {
            // the seed (cdc/mes-seed.sql): press-01 runs WO-2026-000002 of BRK-220 (2.4 s), press-02's order is released only
            JsonNode press = valid(context.await(with("press-01", "work_order_id", "2"), 1, WAIT).get(0));
            assertEquals("WO-2026-000002", press.path("order_number").asText());
            assertEquals("BRK-220", press.path("product_code").asText());
            assertEquals(2400, press.path("ideal_cycle_ms").asLong());
            assertEquals("line-1", press.path("line").asText());
            assertEquals("running", press.path("equipment_status").asText());
            JsonNode mill = valid(context.await(with("mill-03", "product_code", "HSG-410"), 1, WAIT).get(0));
            assertEquals(3, mill.path("work_order_id").asLong());
            assertEquals(95000, mill.path("ideal_cycle_ms").asLong());
            assertTrue(valid(context.await(KafkaRecords.keyed("press-02"), 1, WAIT).get(0)).path("work_order_id").isNull());

            db.execute("UPDATE work_orders SET status = 'completed', completed_at = now() WHERE work_order_id = 2",
                    "UPDATE work_orders SET status = 'running', started_at = now() WHERE work_order_id = 5");
            JsonNode done = valid(context.await(with("press-01", "work_order_id", "null"), 1, WAIT).get(0));
            assertEquals("running", done.path("equipment_status").asText());
            JsonNode started = valid(context.await(with("press-02", "work_order_id", "5"), 1, WAIT).get(0));
            assertEquals("WO-2026-000005", started.path("order_number").asText());
            assertEquals("BRK-220", started.path("product_code").asText());
        }
    }

    /** A context of the machine whose field reads {@code value} as text. */
    private static Predicate<ConsumerRecord<String, String>> with(String machineId, String field, String value) {
        return r -> r.key().equals(machineId) && r.value() != null && valid(r).path(field).asText().equals(value);
    }

    private static JsonNode valid(ConsumerRecord<String, String> record) {
        return SchemaFile.MACHINE_CONTEXT.valid(record.value());
    }
}
