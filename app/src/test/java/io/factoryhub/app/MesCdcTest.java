package io.factoryhub.app;

import static io.factoryhub.app.support.CdcTestDatabase.json;
import static io.factoryhub.app.support.CdcTestDatabase.key;
import static io.factoryhub.app.support.CdcTestDatabase.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.app.support.CdcTestDatabase;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.TopicReplicas;
import io.factoryhub.hub.cdc.CdcEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MES change data capture against a real PostgreSQL and Kafka: what lands in mes.* topics, and the audit verb. */
class MesCdcTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static CdcTestDatabase db;

    @BeforeAll
    static void start() {
        db = CdcTestDatabase.create(TestPlant.shared(), "cdc_basic", Map.of());
        CdcEngine engine = db.startEngine();
        assertEquals(CdcEngine.State.RUNNING, engine.state(), () -> "CDC did not start: " + engine.failure().orElse(""));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void should_snapshot_the_seed_rows_as_op_r() {
        try (KafkaRecords equipment = db.records("equipment"); KafkaRecords orders = db.records("work_orders")) {
            List<ConsumerRecord<String, String>> rows = equipment.await(op("r"), 6, WAIT);
            Set<String> ids = rows.stream().map(r -> json(r).path("after").path("equipment_id").asText()).collect(Collectors.toSet());
            assertEquals(Set.of("press-01", "press-02", "mill-03", "mill-04", "lathe-05", "lathe-06"), ids);
            ConsumerRecord<String, String> press = rows.stream().filter(key("equipment_id", "press-01")).findFirst().orElseThrow();
            assertEquals("{\"equipment_id\":\"press-01\"}", press.key());
            JsonNode value = json(press);
            assertEquals("line-1", value.path("after").path("line").asText());
            assertTrue(value.path("before").isNull());
            assertEquals("cdc_basic", value.path("source").path("db").asText());
            assertEquals("work_orders", json(orders.await(op("r"), 6, WAIT).get(0)).path("source").path("table").asText());
        }
    }

    @Test
    void should_create_its_topics_replicated_for_the_cluster() throws Exception {
        // the single-broker test Kafka: one replica, and min.insync.replicas set on the topic to match
        try (KafkaRecords orders = db.records("work_orders")) {
            orders.await(op("r"), 1, WAIT);
        }
        for (String topic : List.of("cdc_basic.public.work_orders", "cdc_basic.transaction")) {
            assertEquals(new TopicReplicas(1, "1"), TopicReplicas.of(TestPlant.shared().bootstrapServers(), topic), topic);
        }
    }

    @Test
    void should_stream_insert_update_delete_with_before_after_and_a_tombstone() throws Exception {
        db.execute("INSERT INTO products VALUES ('TST-100', 'test bracket', 'pcs', 1000, 2.5000)",
                "UPDATE products SET unit_cost = 2.7500 WHERE product_code = 'TST-100'",
                "DELETE FROM products WHERE product_code = 'TST-100'");
        try (KafkaRecords products = db.records("products"); KafkaRecords transactions = new KafkaRecords(
                TestPlant.shared().bootstrapServers(), "cdc_basic.transaction")) {
            List<ConsumerRecord<String, String>> changes = products.await(key("product_code", "TST-100"), 4, WAIT);
            JsonNode insert = json(changes.get(0));
            JsonNode update = json(changes.get(1));
            JsonNode delete = json(changes.get(2));
            assertEquals("c", insert.path("op").asText());
            assertTrue(insert.path("before").isNull());
            assertEquals("2.5000", insert.path("after").path("unit_cost").asText());
            assertEquals("u", update.path("op").asText());
            assertEquals("2.5000", update.path("before").path("unit_cost").asText());
            assertEquals("2.7500", update.path("after").path("unit_cost").asText());
            assertEquals("test bracket", update.path("before").path("description").asText(), "REPLICA IDENTITY FULL: whole before image");
            assertEquals("d", delete.path("op").asText());
            assertEquals("2.7500", delete.path("before").path("unit_cost").asText());
            assertTrue(delete.path("after").isNull());
            assertNull(changes.get(3).value(), "tombstone after the delete");
            assertEquals(changes.get(2).key(), changes.get(3).key());
            for (JsonNode change : List.of(insert, update, delete)) {
                assertTrue(change.path("source").path("lsn").asLong() > 0);
                assertTrue(change.path("ts_ms").asLong() > 0);
            }
            // autocommit: three transactions, each with its BEGIN and END (END counts the events)
            String txId = insert.path("source").path("txId").asText();
            assertTrue(insert.path("transaction").path("id").asText().startsWith(txId + ":"), insert.toString());
            List<ConsumerRecord<String, String>> markers = transactions.await(
                    r -> json(r).path("id").asText().startsWith(txId + ":"), 2, WAIT);
            assertEquals("BEGIN", json(markers.get(0)).path("status").asText());
            assertEquals("END", json(markers.get(1)).path("status").asText());
            assertEquals(1, json(markers.get(1)).path("event_count").asInt());
        }
    }

    @Test
    void should_capture_a_table_created_while_running() throws Exception {
        db.execute("CREATE TABLE maintenance_notes (note_id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
                        + "equipment_id text NOT NULL REFERENCES equipment (equipment_id), note text NOT NULL)",
                "ALTER TABLE maintenance_notes REPLICA IDENTITY FULL",
                "INSERT INTO maintenance_notes (equipment_id, note) VALUES ('mill-04', 'spindle bearing replaced')");
        try (KafkaRecords notes = db.records("maintenance_notes")) {
            JsonNode insert = json(notes.await(op("c"), 1, WAIT).get(0));
            assertEquals("spindle bearing replaced", insert.path("after").path("note").asText());
            assertEquals("maintenance_notes", insert.path("source").path("table").asText());
        }
    }

    @Test
    void should_show_a_column_added_later_in_the_next_events() throws Exception {
        db.execute("ALTER TABLE downtime_events ADD COLUMN operator text",
                "UPDATE downtime_events SET operator = 'j.smith' WHERE downtime_id = 2");
        try (KafkaRecords downtime = db.records("downtime_events")) {
            JsonNode update = json(downtime.await(op("u").and(key("downtime_id", 2)), 1, WAIT).get(0));
            assertEquals("j.smith", update.path("after").path("operator").asText());
            assertTrue(update.path("before").has("operator"));
            assertTrue(update.path("before").path("operator").isNull());
        }
    }

    @Test
    void should_print_the_history_of_a_row_with_audit() throws Exception {
        db.execute("UPDATE work_orders SET quantity_good = 90, updated_at = '2026-11-21 08:00+00' WHERE work_order_id = 4",
                "UPDATE work_orders SET quantity_good = 95, quantity_scrap = 3, updated_at = '2026-11-21 09:00+00' WHERE work_order_id = 4",
                "UPDATE work_orders SET quantity_good = 300, status = 'completed', completed_at = '2026-11-21 10:00+00' WHERE work_order_id = 4");
        try (KafkaRecords orders = db.records("work_orders")) {
            orders.await(op("u").and(key("work_order_id", 4)), 3, WAIT);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FactoryHubCli.execute(new PrintWriter(out), new PrintWriter(err), "audit", "work_orders", "4",
                "--topic-prefix", "cdc_basic", "--config", db.configFile().toString());
        String text = out.toString();
        assertEquals(0, exit, err::toString);
        assertTrue(text.startsWith("public.work_orders 4: 4 changes"), text);
        List<String> expected = List.of("read", "quantity_good = 52", "update", "quantity_good: 52 -> 90",
                "updated_at: 2026-11-21T07:00:00.000000Z -> 2026-11-21T08:00:00.000000Z", "update", "quantity_good: 90 -> 95",
                "quantity_scrap: 2 -> 3", "update", "quantity_good: 95 -> 300", "status: running -> completed",
                "completed_at: null -> 2026-11-21T10:00:00.000000Z");
        int at = 0;
        for (String line : expected) {
            int found = text.indexOf(line, at);
            assertTrue(found >= 0, "'" + line + "' after position " + at + " in:\n" + text);
            at = found;
        }
        assertFalse(text.contains("order_number:"), "unchanged columns are not listed for updates:\n" + text);
        assertTrue(text.matches("(?s).*update\\s+txId=\\d+\\s+lsn=\\d+.*"), text);
    }
}
