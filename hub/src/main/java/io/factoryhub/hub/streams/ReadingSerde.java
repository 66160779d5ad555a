package io.factoryhub.hub.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.factoryhub.hub.telemetry.IsoInstants;
import io.factoryhub.hub.telemetry.TelemetryEventFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Telemetry events to {@link Reading}s in one streaming pass (a tree per reading would cost the topology most of its
 * time), and back to the event's JSON shape for state stores and internal topics. What is not a telemetry event
 * (not JSON, no machineId or tag) reads as null: the topology drops it, the dead-letter topic has it from ingest.
 */
public final class ReadingSerde implements Serde<Reading> {

    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public Serializer<Reading> serializer() {
        return (topic, reading) -> reading == null ? null : write(reading);
    }

    @Override
    public Deserializer<Reading> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static Reading read(byte[] json) {
        TelemetryEventFields event = TelemetryEventFields.read(json);
        if (event == null || event.machineId() == null || event.tag() == null) {
            return null;
        }
        long time = epochMillis(event.sourceTime());
        return new Reading(event.machineId(), event.deviceId(), event.tag(), event.value(), event.unit(), event.quality(),
                time > 0 ? time : epochMillis(event.ingestTime()), event.site(), event.line(), event.connector());
    }

    private static long epochMillis(String time) {
        if (time == null) {
            return 0;
        }
        try {
            return IsoInstants.parse(time).toEpochMilli();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }

    private static byte[] write(Reading reading) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("machineId", reading.machineId());
            writeIfSet(json, "deviceId", reading.deviceId());
            json.writeStringField("tag", reading.tag());
            if (Double.isNaN(reading.value())) {
                json.writeNullField("value");
            } else {
                json.writeNumberField("value", reading.value());
            }
            writeIfSet(json, "unit", reading.unit());
            writeIfSet(json, "quality", reading.quality());
            if (reading.sourceTimeMs() > 0) {
                json.writeStringField("sourceTime", Instant.ofEpochMilli(reading.sourceTimeMs()).toString());
            }
            writeIfSet(json, "site", reading.site());
            writeIfSet(json, "line", reading.line());
            if (reading.connector() != null) {
                json.writeObjectFieldStart("source");
                json.writeStringField("connector", reading.connector());
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void writeIfSet(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
