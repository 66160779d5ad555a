package io.factoryhub.hub.streams.oee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.hub.streams.JsonSerde;

/**
 * What an OEE figure is computed from, for one machine's window or the sum over a line's machines (times add up
 * machine by machine), and the factors computed from it:
 * <pre>
 * planned time  = window - planned downtime (MES downtime_events with planned = true)
 * downtime      = time in planned time with the machine in a down state or in an unplanned MES downtime (once where both)
 * run time      = planned time - downtime
 * availability  = run time / planned time                   (null when planned time is 0)
 * performance   = ideal time / run time, ideal time = sum of ideal_cycle_ms x (good + scrap) per count (null when run time is 0)
 * quality       = good / (good + scrap)                      (null when nothing was counted)
 * oee           = availability x performance x quality; 0 when planned time &gt; 0 and nothing was counted
 * </pre>
 *
 * @param windowMs          the window's length (for a line: times its machines)
 * @param stateDowntimeMs   of the downtime, the time in a down state
 * @param mesDowntimeMs     of the downtime, the time in an unplanned MES downtime
 */
public record OeeFigures(long windowMs, long plannedDowntimeMs, long downtimeMs, long stateDowntimeMs,
                         long mesDowntimeMs, long goodCount, long scrapCount, long idealTimeMs) {

    public static final OeeFigures NONE = new OeeFigures(0, 0, 0, 0, 0, 0, 0, 0);

    public long plannedTimeMs() {
        return windowMs - plannedDowntimeMs;
    }

    public long runTimeMs() {
        return plannedTimeMs() - downtimeMs;
    }

    public long totalCount() {
        return goodCount + scrapCount;
    }

    public Double availability() {
        return plannedTimeMs() == 0 ? null : (double) runTimeMs() / plannedTimeMs();
    }

    public Double performance() {
        return runTimeMs() == 0 ? null : (double) idealTimeMs / runTimeMs();
    }

    public Double quality() {
        return totalCount() == 0 ? null : (double) goodCount / totalCount();
    }

    public Double oee() {
        if (plannedTimeMs() == 0) {
            return null;
        }
        if (totalCount() == 0) {
            return 0.0;
        }
        Double performance = performance();
        return performance == null ? null : availability() * performance * quality();
    }

    /** The ideal cycle time the counts were weighed with (their mean when products differ); null without counts. */
    public Double idealCycleMs() {
        return totalCount() == 0 ? null : (double) idealTimeMs / totalCount();
    }

    public OeeFigures plus(OeeFigures other) {
        return new OeeFigures(windowMs + other.windowMs, plannedDowntimeMs + other.plannedDowntimeMs,
                downtimeMs + other.downtimeMs, stateDowntimeMs + other.stateDowntimeMs, mesDowntimeMs + other.mesDowntimeMs,
                goodCount + other.goodCount, scrapCount + other.scrapCount, idealTimeMs + other.idealTimeMs);
    }

    /** The {@code inputs} object of an OEE record. */
    public ObjectNode toJson() {
        ObjectNode json = JsonSerde.MAPPER.createObjectNode();
        json.put("windowMs", windowMs);
        json.put("plannedDowntimeMs", plannedDowntimeMs);
        json.put("plannedTimeMs", plannedTimeMs());
        json.put("downtimeMs", downtimeMs);
        json.put("stateDowntimeMs", stateDowntimeMs);
        json.put("mesDowntimeMs", mesDowntimeMs);
        json.put("runTimeMs", runTimeMs());
        json.put("goodCount", goodCount);
        json.put("scrapCount", scrapCount);
        json.put("totalCount", totalCount());
        json.put("idealCycleMs", idealCycleMs());
        json.put("idealTimeMs", idealTimeMs);
        return json;
    }

    public static OeeFigures fromJson(JsonNode inputs) {
        return new OeeFigures(inputs.path("windowMs").asLong(), inputs.path("plannedDowntimeMs").asLong(),
                inputs.path("downtimeMs").asLong(), inputs.path("stateDowntimeMs").asLong(),
                inputs.path("mesDowntimeMs").asLong(), inputs.path("goodCount").asLong(),
                inputs.path("scrapCount").asLong(), inputs.path("idealTimeMs").asLong());
    }
}
