package io.factoryhub.hub.streams;

/**
 * The fields of a telemetry event ({@code schema/telemetry-event.schema.json}) the stream processing works with.
 *
 * @param value        NaN when the event carries no number (a BAD reading)
 * @param sourceTimeMs the reading's event time (its {@code sourceTime}, else {@code ingestTime}), epoch milliseconds;
 *                     0 when it has neither
 */
public record Reading(String machineId, String deviceId, String tag, double value, String unit, String quality,
                      long sourceTimeMs, String site, String line, String connector) {

    /** What identifies the sensor this reading came from, for per-source watermarks. */
    public String source() {
        return deviceId + "/" + tag;
    }
}
