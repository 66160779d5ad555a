package io.factoryhub.hub.streams.mes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.streams.JsonSerde;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One Debezium change event of the MES database as the CDC topics carry it (JSON, {@code converter.schemas.enable=false}):
 * {@code {"before":{..},"after":{..},"op":"c|r|u|d","source":{"ts_ms":..},"ts_ms":..}}.
 *
 * @param before        the row before the change; null for an insert or a snapshot read
 * @param after         the row after it; null for a delete
 * @param committedAtMs when the database committed it ({@code source.ts_ms}, else the envelope's {@code ts_ms})
 */
public record MesChange(String op, JsonNode before, JsonNode after, long committedAtMs) {

    /**
     * The change in a record's value; null for the tombstone that follows a delete (the delete itself did the work).
     *
     * @throws IllegalArgumentException saying why, when the value is not JSON or not a change event
     */
    public static MesChange parse(String json) {
        if (json == null) {
            return null;
        }
        JsonNode value;
        try {
            value = JsonSerde.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        String op = value.path("op").asText("");
        JsonNode before = row(value.get("before"));
        JsonNode after = row(value.get("after"));
        boolean complete = switch (op) {
            case "c", "r", "u" -> after != null;
            case "d" -> before != null;
            default -> false;
        };
        if (!complete) {
            throw new IllegalArgumentException("not a change event (op '" + op + "' with before " + before + ", after " + after + ")");
        }
        long committed = value.path("source").path("ts_ms").asLong(value.path("ts_ms").asLong(0));
        return new MesChange(op, before, after, committed);
    }

    public boolean deleted() {
        return after == null;
    }

    /** The row as it is now, or as it was when deleted. */
    public JsonNode row() {
        return after != null ? after : before;
    }

    /** A {@code timestamptz} column (Debezium's ISO-8601 string) as epoch milliseconds; null when absent or unreadable. */
    public static Long epochMillis(JsonNode row, String column) {
        JsonNode value = row == null ? null : row.get(column);
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Instant.parse(value.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static JsonNode row(JsonNode node) {
        return node == null || !node.isObject() ? null : node;
    }
}
