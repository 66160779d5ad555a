package io.factoryhub.hub.telemetry;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Industrial-Edge style CSV lines, e.g. {@code press-07,vib-1,4.2,1763805600123} with columns
 * {@code machineId,deviceId,value,timestamp}; the tag comes from the topic's last segment unless a column names it.
 */
final class CsvReadingParser implements ReadingParser {

    static final String DEFAULT_COLUMNS = "machineId,deviceId,value,timestamp";
    private static final Set<String> KNOWN_COLUMNS =
            Set.of("machineId", "deviceId", "tag", "value", "unit", "quality", "timestamp", "site", "line");

    private final List<String> columns;

    CsvReadingParser(String columnSpec) {
        String spec = columnSpec == null || columnSpec.isBlank() ? DEFAULT_COLUMNS : columnSpec;
        this.columns = Arrays.stream(spec.split(",")).map(String::trim).toList();
        for (String column : columns) {
            if (!KNOWN_COLUMNS.contains(column)) {
                throw new IllegalArgumentException("csvColumns: unknown column '" + column + "', known: " + KNOWN_COLUMNS);
            }
        }
        if (!columns.contains("value")) {
            throw new IllegalArgumentException("csvColumns must contain 'value'");
        }
    }

    @Override
    public Reading parse(Object body, ReadingContext context) {
        String line = Values.text(body).strip();
        String[] fields = line.split(",", -1);
        if (fields.length != columns.size()) {
            throw new InvalidTelemetryException("CSV line has " + fields.length + " columns, expected "
                    + columns.size() + " (" + String.join(",", columns) + ")");
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < fields.length; i++) {
            row.put(columns.get(i), fields[i].trim());
        }
        ReadingContext.Defaults defaults = context.defaults();
        return new Reading(
                Values.required("machineId", Values.firstNonBlank(row.get("machineId"), defaults.machineId())),
                row.get("deviceId"),
                Values.required("tag", Values.firstNonBlank(row.get("tag"), defaults.tag(), context.addressTail())),
                Values.number("value", row.get("value")),
                Values.firstNonBlank(row.get("unit"), defaults.unit()),
                Values.quality(row.get("quality")),
                Values.time("timestamp", row.get("timestamp")),
                Values.firstNonBlank(row.get("site"), defaults.site()),
                Values.firstNonBlank(row.get("line"), defaults.line()));
    }
}
