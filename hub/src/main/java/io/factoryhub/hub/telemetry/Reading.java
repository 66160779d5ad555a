package io.factoryhub.hub.telemetry;

import java.time.Instant;

/**
 * One sensor reading, parsed from whatever the shop floor sent, before it becomes a telemetry event.
 * {@code value} is null only for a {@code BAD} reading that carried no number (an OPC-UA Bad status without a value).
 */
public record Reading(String machineId, String deviceId, String tag, Double value, String unit,
                      String quality, Instant sourceTime, String site, String line) {
}
