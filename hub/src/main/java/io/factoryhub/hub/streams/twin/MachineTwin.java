package io.factoryhub.hub.streams.twin;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.streams.Reading;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one machine's twin is made of between flushes: the newest reading of each tag (by event time, so a late
 * reading never hides a newer one), the last state-changed event, and whether any of it, or the MES context, changed
 * since the twin was last put on the topic. Not thread-safe: one task's processor owns it.
 */
final class MachineTwin {

    private final Map<String, Reading> tags = new TreeMap<>();
    private JsonNode stateEvent;
    private JsonNode emittedContext;
    /** A new twin (first seen, or read back from the task's stores) is put on the topic at the next flush. */
    private boolean changed = true;

    /** @return whether {@code reading} is now its tag's newest (at the same event time the later one wins) */
    boolean offer(Reading reading) {
        Reading current = tags.get(reading.tag());
        if (current != null && current.sourceTimeMs() > reading.sourceTimeMs()) {
            return false;
        }
        tags.put(reading.tag(), reading);
        changed = true;
        return true;
    }


    void state(JsonNode event) {
        stateEvent = event;
        changed = true;
    }

    /** By tag name. */
    Collection<Reading> tags() {
        return tags.values();
    }

    JsonNode stateEvent() {
        return stateEvent;
    }

    /**
     * @param context the machine's MES context now (null: none)
     * @return whether the twin must go on the topic again; from here on, it is taken as on the topic
     */
    boolean takeChange(JsonNode context) {
        boolean due = changed || (emittedContext == null ? context != null : !emittedContext.equals(context));
        changed = false;
        emittedContext = context;
        return due;
    }
}
