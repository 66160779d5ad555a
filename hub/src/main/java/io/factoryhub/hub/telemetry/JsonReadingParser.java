package io.factoryhub.hub.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * JSON readings: {@code {"machineId":..,"deviceId":..,"tag":..,"value":..,"unit":..,"quality":..,"timestamp":..}}.
 * {@code timestamp} (or {@code sourceTime}) is ISO-8601 or epoch millis; the tag defaults to the topic's last segment.
 *
 * <p>Read in one streaming pass over the payload's bytes, without building a tree: other fields are skipped, a
 * repeated field counts with its last value.
 */
final class JsonReadingParser implements ReadingParser {

    private final JsonFactory json;

    /** @param json a factory with a codec (an ObjectMapper's), which a non-numeric value is shown with */
    JsonReadingParser(JsonFactory json) {
        this.json = json;
    }

    /** The fields a reading takes, as text, and the value as read. */
    private static final class Fields {
        String machineId;
        String deviceId;
        String tag;
        String unit;
        String quality;
        String timestamp;
        String sourceTime;
        String site;
        String line;
        Double number;
        String numberText;
        boolean hasValue;
    }

    @Override
    public Reading parse(Object body, ReadingContext context) {
        Fields fields = read(body);
        ReadingContext.Defaults defaults = context.defaults();
        if (!fields.hasValue) {
            throw new InvalidTelemetryException("missing value");
        }
        double value = fields.number != null ? fields.number : Values.number("value", fields.numberText);
        if (!Double.isFinite(value)) {
            throw new InvalidTelemetryException("value is not a finite number: '" + value + "'");
        }
        Instant sourceTime = Values.time("timestamp", Values.firstNonBlank(fields.timestamp, fields.sourceTime));
        String tag = Values.firstNonBlank(fields.tag, defaults.tag());
        return new Reading(
                Values.required("machineId", Values.firstNonBlank(fields.machineId, defaults.machineId())),
                fields.deviceId,
                Values.required("tag", tag != null ? tag : context.addressTail()),
                value,
                Values.firstNonBlank(fields.unit, defaults.unit()),
                Values.quality(fields.quality),
                sourceTime,
                Values.firstNonBlank(fields.site, defaults.site()),
                Values.firstNonBlank(fields.line, defaults.line()));
    }

    private Fields read(Object body) {
        try (JsonParser parser = body instanceof byte[] bytes ? json.createParser(bytes) : json.createParser(Values.text(body))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidTelemetryException("JSON payload is not an object");
            }
            Fields fields = new Fields();
            for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "value" -> value(parser, token, fields);
                    case "machineId" -> fields.machineId = text(parser, token);
                    case "deviceId" -> fields.deviceId = text(parser, token);
                    case "tag" -> fields.tag = text(parser, token);
                    case "unit" -> fields.unit = text(parser, token);
                    case "quality" -> fields.quality = text(parser, token);
                    case "timestamp" -> fields.timestamp = text(parser, token);
                    case "sourceTime" -> fields.sourceTime = text(parser, token);
                    case "site" -> fields.site = text(parser, token);
                    case "line" -> fields.line = text(parser, token);
                    default -> parser.skipChildren();
                }
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new InvalidTelemetryException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void value(JsonParser parser, JsonToken token, Fields fields) throws IOException {
        fields.number = null;
        fields.numberText = null;
        fields.hasValue = token != JsonToken.VALUE_NULL;
        if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
            fields.number = parser.getDoubleValue();
        } else if (token == JsonToken.VALUE_STRING) {
            fields.numberText = parser.getText();
        } else if (token != JsonToken.VALUE_NULL) {
            throw new InvalidTelemetryException("value is not numeric: " + parser.readValueAsTree());
        }
    }

    /** A scalar field as text (numbers and booleans too, as the tree's asText() gave them); null for null. */
    private static String text(JsonParser parser, JsonToken token) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token.isStructStart()) {
            parser.skipChildren();
            return "";
        }
        return parser.getText();
    }
}
