package io.factoryhub.hub.dashboard;

import io.factoryhub.hub.telemetry.IsoInstants;

/** When an event says it happened, in epoch ms. */
final class EventTime {

    private EventTime() {
    }

    /** {@code iso} (ISO-8601), or {@code fallback} (the Kafka record's timestamp) when it is missing or unreadable. */
    static long epochMillis(String iso, long fallback) {
        if (iso == null) {
            return fallback;
        }
        try {
            return IsoInstants.parse(iso).toEpochMilli();
        } catch (RuntimeException e) {
            return fallback; // a time the schema would refuse: the record's own time still places the event
        }
    }
}
