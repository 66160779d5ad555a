package io.factoryhub.hub.streams.twin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.hub.streams.Reading;
import java.time.Instant;

/**
 * A machine's twin as {@code factory.machine.twin} and {@code /api/machines} carry it
 * ({@code schema/machine-twin.schema.json}): every tag's newest reading, the state, the MES context.
 */
final class TwinDocument {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private TwinDocument() {
    }

    /**
     * @param context   the machine's MES context record as on {@code factory.machine.context}, or null
     * @param updatedAt when this twin was put together (wall time)
     */
    static ObjectNode of(String machineId, MachineTwin twin, JsonNode context, long updatedAt) {
        ObjectNode doc = JSON.objectNode();
        doc.put("machineId", machineId);
        JsonNode event = twin.stateEvent();
        Reading newest = null;
        ObjectNode tags = JSON.objectNode();
        for (Reading reading : twin.tags()) {
            tags.set(reading.tag(), tag(reading));
            if (newest == null || reading.sourceTimeMs() >= newest.sourceTimeMs()) {
                newest = reading;
            }
        }
        // where the machine is: as its newest reading says, else its state event, else the MES
        doc.put("site", firstOf(newest == null ? null : newest.site(), text(event, "site"), text(context, "site")));
        doc.put("line", firstOf(newest == null ? null : newest.line(), text(event, "line"), text(context, "line")));
        doc.set("state", event == null ? JSON.nullNode() : state(event));
        doc.set("tags", tags);
        doc.set("context", context == null ? JSON.nullNode() : context);
        doc.put("lastReadingAt", newest == null || newest.sourceTimeMs() <= 0 ? null : iso(newest.sourceTimeMs()));
        doc.put("updatedAt", iso(updatedAt));
        return doc;
    }

    private static ObjectNode tag(Reading reading) {
        ObjectNode tag = JSON.objectNode();
        if (Double.isNaN(reading.value())) {
            tag.putNull("value");
        } else {
            tag.put("value", reading.value());
        }
        tag.put("unit", reading.unit());
        tag.put("quality", reading.quality());
        tag.put("sourceTime", reading.sourceTimeMs() > 0 ? iso(reading.sourceTimeMs()) : null);
        tag.put("deviceId", reading.deviceId());
        return tag;
    }

    private static ObjectNode state(JsonNode event) {
        ObjectNode state = JSON.objectNode();
        state.put("name", text(event, "to"));
        state.put("since", text(event, "since"));
        state.put("rule", text(event, "rule"));
        state.put("group", text(event, "group"));
        state.put("from", text(event, "from"));
        state.put("detectedAt", text(event, "detectedAt"));
        return state;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || !value.isValueNode() || value.isNull() ? null : value.asText();
    }

    private static String firstOf(String... values) {
        for (String value : values) {
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
