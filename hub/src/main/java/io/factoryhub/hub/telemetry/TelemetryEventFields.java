package io.factoryhub.hub.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The fields of a telemetry event ({@code schema/telemetry-event.schema.json}) its readers use, in one streaming pass:
 * a tree per reading cost the inference action's consumer and the stream processing most of their time in their
 * benches. Times stay the text the event carries (an anomaly event repeats it as sent).
 *
 * @param value NaN when the event carries no number (a BAD reading)
 * @param connector {@code source.connector}
 */
public record TelemetryEventFields(String machineId, String deviceId, String tag, double value, String unit,
                                   String quality, String sourceTime, String ingestTime, String site, String line,
                                   String connector) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Null when the text is not a JSON object (not a telemetry event). */
    public static TelemetryEventFields read(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(json)) {
            return read(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /** Null when the bytes are not a JSON object (not a telemetry event). */
    public static TelemetryEventFields read(byte[] json) {
        try (JsonParser parser = JSON.createParser(json)) {
            return read(parser);
        } catch (IOException e) {
            return null;
        }
    }

    private static TelemetryEventFields read(JsonParser parser) throws IOException {
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
        return new TelemetryEventFields(machineId, deviceId, tag, value, unit, quality, sourceTime, ingestTime, site,
                line, connector);
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
}
