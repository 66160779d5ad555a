package io.factoryhub.hub.state;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** A {@link Transition} as the {@code state-changed} event of {@code schema/machine-event.schema.json}. */
public final class StateChangedEvent {

    public static final String TYPE = "state-changed";

    private StateChangedEvent() {
    }

    public static ObjectNode of(Transition t, long detectedAtMs) {
        ObjectNode event = JsonNodeFactory.instance.objectNode();
        event.put("type", TYPE);
        event.put("machineId", t.machineId());
        event.put("site", t.site());
        event.put("line", t.line());
        event.put("from", t.from());
        event.put("to", t.to());
        event.put("rule", t.rule());
        event.put("group", t.group());
        event.put("since", Instant.ofEpochMilli(t.sinceMs()).toString());
        ObjectNode values = event.putObject("values");
        // a BAD reading has no number: null, as telemetry carries it
        t.values().forEach((tag, value) -> values.put(tag, Double.isNaN(value) ? null : value));
        event.put("detectedAt", Instant.ofEpochMilli(detectedAtMs).toString());
        return event;
    }
}
