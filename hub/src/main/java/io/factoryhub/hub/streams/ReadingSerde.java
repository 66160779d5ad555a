package io.factoryhub.hub.streams;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.factoryhub.hub.telemetry.IsoInstants;
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
        String machineId = null;
        String deviceId = null;
        String tag = null;
        double value = Double.NaN;
        String unit = null;
        String quality = "GOOD";
        String sourceTime = null;
        String ingestTime = null;
        String site = null;
        String line = null;
        String connector = null;
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "machineId" -> machineId = parser.getValueAsString();
                    case "deviceId" -> deviceId = parser.getValueAsString();
                    case "tag" -> tag = parser.getValueAsString();
                    case "value" -> value = token.isNumeric() ? parser.getDoubleValue() : Double.NaN;
                    case "unit" -> unit = parser.getValueAsString();
                    case "quality" -> quality = parser.getValueAsString();
                    case "sourceTime" -> sourceTime = parser.getValueAsString();
                    case "ingestTime" -> ingestTime = parser.getValueAsString();
                    case "site" -> site = parser.getValueAsString();
                    case "line" -> line = parser.getValueAsString();
                    case "source" -> connector = connectorOf(parser, token);
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        if (machineId == null || tag == null) {
            return null;
        }
        long time = epochMillis(sourceTime);
        return new Reading(machineId, deviceId, tag, value, unit, quality, time > 0 ? time : epochMillis(ingestTime),
                site, line, connector);
    }

    private static String connectorOf(JsonParser parser, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            parser.skipChildren();
            return null;
        }
        String connector = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("connector")) {
                connector = parser.getValueAsString();
            } else {
                parser.skipChildren();
            }
        }
        return connector;
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
