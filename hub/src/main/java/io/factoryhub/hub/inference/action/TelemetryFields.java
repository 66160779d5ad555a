package io.factoryhub.hub.inference.action;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The fields of a telemetry event ({@code schema/telemetry-event.schema.json}) the action scores with, read in one
 * streaming pass: a tree per reading cost the action's Kafka consumer most of its time in {@code bench inference}.
 *
 * @param value NaN when the event carries no number (a BAD reading)
 */
record TelemetryFields(String machineId, String deviceId, String tag, double value, String quality, String sourceTime,
                       String site, String line) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Null when the text is not a JSON object (not a telemetry event). */
    static TelemetryFields read(String json) {
        if (json == null) {
            return null;
        }
        String machineId = null;
        String deviceId = null;
        String tag = null;
        double value = Double.NaN;
        String quality = "GOOD";
        String sourceTime = null;
        String site = null;
        String line = null;
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
                    case "quality" -> quality = parser.getValueAsString();
                    case "sourceTime" -> sourceTime = parser.getValueAsString();
                    case "site" -> site = parser.getValueAsString();
                    case "line" -> line = parser.getValueAsString();
                    default -> parser.skipChildren();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return new TelemetryFields(machineId, deviceId, tag, value, quality, sourceTime, site, line);
    }
}
