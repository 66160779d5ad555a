package io.factoryhub.hub.telemetry;

import java.time.Instant;

/** One sensor reading, parsed from whatever the shop floor sent, before it becomes a telemetry event. */
public record Reading(String machineId, String deviceId, String tag, double value, String unit,
                      String quality, Instant sourceTime, String site, String line) {
}
