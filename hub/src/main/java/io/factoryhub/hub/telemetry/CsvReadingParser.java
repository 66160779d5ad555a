package io.factoryhub.hub.telemetry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Industrial-Edge style CSV lines, e.g. {@code press-07,vib-1,4.2,1763805600123} with columns
 * {@code machineId,deviceId,value,timestamp}; the tag comes from the topic's last segment unless a column names it.
 *
 * <p>One line per payload, read by Jackson's CSV parser (RFC 4180): a field in double quotes may hold commas, line
 * breaks and doubled quotes ({@code "say ""hi"""}). Spaces around unquoted fields are trimmed, quoted ones kept.
 */
final class CsvReadingParser implements ReadingParser {

    static final String DEFAULT_COLUMNS = "machineId,deviceId,value,timestamp";
    private static final Set<String> KNOWN_COLUMNS =
            Set.of("machineId", "deviceId", "tag", "value", "unit", "quality", "timestamp", "site", "line");
    /** Rows as plain string arrays, so a wrong column count is reported as such rather than as a mapping error. */
    private static final ObjectReader ROWS = new CsvMapper().readerFor(String[].class)
            .with(CsvSchema.emptySchema())
            .withFeatures(CsvParser.Feature.WRAP_AS_ARRAY, CsvParser.Feature.TRIM_SPACES);

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
        String[] fields = readLine(Values.text(body).strip());
        if (fields.length != columns.size()) {
            throw new InvalidTelemetryException("CSV line has " + fields.length + " columns, expected "
                    + columns.size() + " (" + String.join(",", columns) + ")");
        }
        Map<String, String> row = new HashMap<>();
        for (int i = 0; i < fields.length; i++) {
            row.put(columns.get(i), fields[i]);
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

    private String[] readLine(String text) {
        List<String[]> lines;
        try (MappingIterator<String[]> rows = ROWS.readValues(text)) {
            lines = rows.readAll();
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new InvalidTelemetryException("malformed CSV: " + e.getOriginalMessage()
                    + (at == null ? "" : " at column " + at.getColumnNr()), e);
        } catch (IOException e) {
            throw new InvalidTelemetryException("malformed CSV: " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new InvalidTelemetryException("empty CSV line, expected " + columns.size() + " columns ("
                    + String.join(",", columns) + ")");
        }
        if (lines.size() > 1) {
            throw new InvalidTelemetryException("CSV payload has " + lines.size() + " lines, expected one");
        }
        return lines.get(0);
    }
}
