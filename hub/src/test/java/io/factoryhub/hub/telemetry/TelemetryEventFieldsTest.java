package io.factoryhub.hub.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TelemetryEventFieldsTest {

    @Test
    void should_read_every_field_its_readers_use_and_skip_the_rest() {
        String event = """
                {"schemaVersion":"1.0","eventId":"e-1","machineId":"press-01","deviceId":"plc-7","tag":"temperature",
                 "value":81.25,"unit":"°C","quality":"GOOD","sourceTime":"2026-11-22T10:00:00.5Z",
                 "ingestTime":"2026-11-22T10:00:01Z","site":"plant-a","line":"line-1",
                 "source":{"protocol":"mqtt","topic":"plant-a/line-1/press-01","connector":"line-1-mqtt"},
                 "attributes":{"nested":{"deep":[1,2,{"connector":"not this one"}]}}}""";

        assertEquals(new TelemetryEventFields("press-01", "plc-7", "temperature", 81.25, "°C", "GOOD",
                        "2026-11-22T10:00:00.5Z", "2026-11-22T10:00:01Z", "plant-a", "line-1", "line-1-mqtt"),
                TelemetryEventFields.read(event.getBytes(StandardCharsets.UTF_8)));
        assertEquals(TelemetryEventFields.read(event), TelemetryEventFields.read(event.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void should_read_a_bad_reading_without_a_number_as_nan_and_what_is_not_an_event_as_null() {
        TelemetryEventFields bad = TelemetryEventFields.read("{\"machineId\":\"m\",\"tag\":\"t\",\"value\":null,\"quality\":\"BAD\"}");
        assertTrue(Double.isNaN(bad.value()));
        assertEquals("BAD", bad.quality());
        assertEquals("GOOD", TelemetryEventFields.read("{\"machineId\":\"m\"}").quality(), "GOOD unless it says otherwise");
        assertNull(TelemetryEventFields.read("[1,2]"));
        assertNull(TelemetryEventFields.read("not json"));
        assertNull(TelemetryEventFields.read((String) null));
    }
}
