package io.factoryhub.hub.streams.twin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.hub.streams.Reading;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TwinDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-11-22T10:00:00Z").toEpochMilli();

    @Test
    void should_keep_the_newest_reading_of_each_tag_by_event_time() {
        MachineTwin twin = new MachineTwin();
        assertTrue(twin.offer(reading("temperature", 70.0, T0 + 5000)));
        assertFalse(twin.offer(reading("temperature", 60.0, T0 + 2000)), "late: older than what the twin has");
        assertTrue(twin.offer(reading("temperature", 71.0, T0 + 5000)), "same time: the later one wins");
        assertEquals(71.0, twin.tags().iterator().next().value());
    }

    @Test
    void should_be_due_when_anything_or_the_context_changed_and_only_then() throws Exception {
        MachineTwin twin = new MachineTwin();
        assertTrue(twin.takeChange(null), "a new twin goes on the topic");
        assertFalse(twin.takeChange(null));
        JsonNode context = JSON.readTree("{\"order_number\":\"WO-1\"}");
        assertTrue(twin.takeChange(context), "a new work order");
        assertFalse(twin.takeChange(JSON.readTree("{\"order_number\":\"WO-1\"}")), "the same context again");
        twin.offer(reading("vibration", 3.0, T0));
        assertTrue(twin.takeChange(context));
        assertTrue(twin.takeChange(null), "the work order ended");
    }

    @Test
    void should_write_tags_state_and_context_with_where_the_machine_is() throws Exception {
        MachineTwin twin = new MachineTwin();
        twin.offer(reading("vibration", Double.NaN, T0 + 1000));
        twin.offer(reading("temperature", 81.25, T0));
        twin.state(JSON.readTree("""
                {"type":"state-changed","machineId":"press-01","site":"plant-b","line":"line-9","from":"ACTIVE",
                 "to":"WARNING","rule":"press-overheating","group":"thermal","since":"2026-11-22T10:00:00Z",
                 "values":{"temperature":81.25},"detectedAt":"2026-11-22T10:00:01Z"}"""));
        JsonNode context = JSON.readTree("{\"machineId\":\"press-01\",\"order_number\":\"WO-2\"}");

        assertEquals(JSON.readTree("""
                {"machineId":"press-01","site":"plant-a","line":"line-1",
                 "state":{"name":"WARNING","since":"2026-11-22T10:00:00Z","rule":"press-overheating","group":"thermal",
                          "from":"ACTIVE","detectedAt":"2026-11-22T10:00:01Z"},
                 "tags":{"temperature":{"value":81.25,"unit":"u","quality":"GOOD","sourceTime":"2026-11-22T10:00:00Z","deviceId":"d-1"},
                         "vibration":{"value":null,"unit":"u","quality":"GOOD","sourceTime":"2026-11-22T10:00:01Z","deviceId":"d-1"}},
                 "context":{"machineId":"press-01","order_number":"WO-2"},
                 "lastReadingAt":"2026-11-22T10:00:01Z","updatedAt":"2026-11-22T10:00:10Z"}"""),
                TwinDocument.of("press-01", twin, context, T0 + 10_000));
    }

    @Test
    void should_place_a_machine_without_readings_where_its_state_event_says() throws Exception {
        MachineTwin twin = new MachineTwin();
        twin.state(JSON.readTree("{\"type\":\"state-changed\",\"site\":\"plant-b\",\"line\":\"line-9\",\"to\":\"OFFLINE\"}"));
        JsonNode doc = TwinDocument.of("press-01", twin, null, T0);
        assertEquals("plant-b", doc.path("site").asText());
        assertEquals("line-9", doc.path("line").asText());
        assertTrue(doc.path("lastReadingAt").isNull());
        assertTrue(doc.path("context").isNull());
        assertTrue(doc.at("/state/rule").isNull());
    }

    private static Reading reading(String tag, double value, long time) {
        return new Reading("press-01", "d-1", tag, value, "u", "GOOD", time, "plant-a", "line-1", "c");
    }
}
