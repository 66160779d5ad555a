package io.factoryhub.hub.dashboard;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;

/**
 * One reading as the page shows it, from a telemetry event of {@code factory.topic.telemetry}. {@code time} is the
 * reading's source time (epoch ms), so a sparkline shows when the machine measured, not when the hub got it;
 * {@code value} is null for a {@code BAD} reading without a number (a gap in the sparkline).
 */
record Telemetry(String machineId, String site, String line, String tag, String unit, String quality, long time,
                 Double value) {

    /** The fields the page needs; the rest of the event (lineage, device) is skipped while parsing. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Event(String machineId, String site, String line, String tag, String unit, String quality,
                         String sourceTime, Double value) {
    }

    private static final ObjectReader READER = Json.MAPPER.readerFor(Event.class);

    /** @param recordTime the Kafka record's timestamp, for an event without a readable source time */
    static Telemetry parse(byte[] json, long recordTime) throws IOException {
        Event event = READER.readValue(json);
        if (event.machineId() == null || event.tag() == null) {
            throw new IOException("no machineId or tag");
        }
        return new Telemetry(event.machineId(), event.site(), event.line(), event.tag(), event.unit(), event.quality(),
                EventTime.epochMillis(event.sourceTime(), recordTime), event.value());
    }
}
