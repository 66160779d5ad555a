package io.factoryhub.hub.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;

/**
 * JSON readings: {@code {"machineId":..,"deviceId":..,"tag":..,"value":..,"unit":..,"quality":..,"timestamp":..}}.
 * {@code timestamp} (or {@code sourceTime}) is ISO-8601 or epoch millis; the tag defaults to the topic's last segment.
 */
final class JsonReadingParser implements ReadingParser {

    private final ObjectMapper mapper;

    JsonReadingParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Reading parse(Object body, ReadingContext context) {
        JsonNode json = readObject(Values.text(body));
        ReadingContext.Defaults defaults = context.defaults();
        JsonNode valueNode = json.get("value");
        if (valueNode == null || valueNode.isNull()) {
            throw new InvalidTelemetryException("missing value");
        }
        if (!valueNode.isNumber() && !valueNode.isTextual()) {
            throw new InvalidTelemetryException("value is not numeric: " + valueNode);
        }
        double value = Values.number("value", valueNode.asText());
        Instant sourceTime = Values.time("timestamp", Values.firstNonBlank(text(json, "timestamp"), text(json, "sourceTime")));
        return new Reading(
                Values.required("machineId", Values.firstNonBlank(text(json, "machineId"), defaults.machineId())),
                text(json, "deviceId"),
                Values.required("tag", Values.firstNonBlank(text(json, "tag"), defaults.tag(), context.addressTail())),
                value,
                Values.firstNonBlank(text(json, "unit"), defaults.unit()),
                Values.quality(text(json, "quality")),
                sourceTime,
                Values.firstNonBlank(text(json, "site"), defaults.site()),
                Values.firstNonBlank(text(json, "line"), defaults.line()));
    }

    private JsonNode readObject(String text) {
        try {
            JsonNode node = mapper.readTree(text);
            if (node == null || !node.isObject()) {
                throw new InvalidTelemetryException("JSON payload is not an object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidTelemetryException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
