package io.factoryhub.hub.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Writes a reading as the documented telemetry event (schema: hub/src/main/resources/schema/telemetry-event.schema.json). */
final class TelemetryEventWriter {

    private final ObjectMapper mapper;

    TelemetryEventWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    byte[] write(Reading reading, Instant ingestTime, String protocol, String address, String connector) {
        ObjectNode event = mapper.createObjectNode();
        event.put("machineId", reading.machineId());
        putIfPresent(event, "deviceId", reading.deviceId());
        event.put("tag", reading.tag());
        event.put("value", reading.value());
        putIfPresent(event, "unit", reading.unit());
        event.put("quality", reading.quality());
        event.put("sourceTime", (reading.sourceTime() == null ? ingestTime : reading.sourceTime()).toString());
        event.put("ingestTime", ingestTime.toString());
        putIfPresent(event, "site", reading.site());
        putIfPresent(event, "line", reading.line());
        ObjectNode source = event.putObject("source");
        source.put("protocol", protocol);
        putIfPresent(source, "address", address);
        putIfPresent(source, "connector", connector);
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize telemetry event", e);
        }
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }
}
