package io.factoryhub.hub.inference.action;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.factoryhub.hub.support.EventIds;
import io.factoryhub.hub.telemetry.IsoInstants;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The anomaly event ({@code schema/anomaly-event.schema.json}) and its Kafka headers: keyed by machine id, CloudEvents
 * lineage, and {@value #READING_ID} naming the reading that completed the window.
 */
final class AnomalyEvents {

    static final String EVENT_TYPE = "io.factoryhub.machine.anomaly.v1";
    static final String READING_ID = "factory_reading_id";
    private static final JsonFactory JSON = new JsonFactory();

    private final String connector;

    AnomalyEvents(String connector) {
        this.connector = connector;
    }

    String body(Window window, double score, String modelName, String modelVersion, Instant detectedAt) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("type", "anomaly");
            json.writeStringField("machineId", window.machineId());
            json.writeStringField("deviceId", window.deviceId());
            json.writeStringField("tag", window.tag());
            writeIfSet(json, "site", window.site());
            writeIfSet(json, "line", window.line());
            json.writeObjectFieldStart("window");
            json.writeArrayFieldStart("values");
            for (float value : window.values()) {
                json.writeNumber(value);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("times");
            for (String time : window.times()) {
                json.writeString(time);
            }
            json.writeEndArray();
            json.writeEndObject();
            json.writeNumberField("score", score);
            json.writeObjectFieldStart("model");
            json.writeStringField("name", modelName);
            writeIfSet(json, "version", modelVersion);
            json.writeEndObject();
            json.writeStringField("detectedAt", IsoInstants.formatMillis(detectedAt));
            writeIfSet(json, "readingId", window.readingId());
            json.writeStringField("connector", connector);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    Map<String, Object> headers(Window window, Instant detectedAt) {
        Map<String, Object> headers = new java.util.HashMap<>();
        headers.put(KafkaConstants.KEY, window.machineId());
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", EventIds.random());
        headers.put("ce_source", "/factory-hub/inference/" + connector);
        headers.put("ce_type", EVENT_TYPE);
        headers.put("ce_subject", window.machineId() + "/" + window.tag());
        headers.put("ce_time", IsoInstants.formatMillis(detectedAt));
        headers.put("content-type", "application/json");
        if (window.readingId() != null) {
            headers.put(READING_ID, window.readingId());
        }
        return headers;
    }

    private static void writeIfSet(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }
}
