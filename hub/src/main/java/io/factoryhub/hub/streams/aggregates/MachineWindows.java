package io.factoryhub.hub.streams.aggregates;

import java.util.TreeMap;

/**
 * One machine's open 1-minute windows (the current one, and earlier ones still within the grace period), by start.
 * Kept per machine rather than per machine and tag, so the windows follow the telemetry's own key: no repartition.
 */
final class MachineWindows {

    final TreeMap<Long, TagWindow> byStart = new TreeMap<>();
}
