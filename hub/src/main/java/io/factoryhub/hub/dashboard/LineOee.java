package io.factoryhub.hub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A line's OEE over one window, from a {@code "scope":"line"} record of {@code factory.topic.oee}: the three factors
 * and their product (fractions; null where the window gives no figure, e.g. no planned time), and the window (start and
 * end, epoch ms; {@code minutes} its length: 15 or 60). A machine's records ({@code "scope":"machine"}) are not shown.
 */
record LineOee(String site, String line, int minutes, long start, long end, Double availability, Double performance,
               Double quality, Double oee) {

    /** @return null for a machine's OEE */
    static LineOee of(byte[] json) throws IOException {
        JsonNode record = Json.MAPPER.readTree(json);
        if (!"line".equals(Json.text(record, "scope"))) {
            return null;
        }
        String line = Json.text(record, "line");
        long start = EventTime.epochMillis(Json.text(record, "windowStart"), -1);
        long end = EventTime.epochMillis(Json.text(record, "windowEnd"), -1);
        if (line == null || start < 0 || end <= start) {
            throw new IOException("a line's OEE record without line, windowStart or windowEnd");
        }
        return new LineOee(Json.text(record, "site"), line, (int) ((end - start) / 60_000), start, end,
                factor(record, "availability"), factor(record, "performance"), factor(record, "quality"), factor(record, "oee"));
    }

    private static Double factor(JsonNode record, String field) throws IOException {
        JsonNode value = record.path(field);
        if (value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new IOException("a line's OEE record without " + field);
        }
        return value.asDouble();
    }
}
