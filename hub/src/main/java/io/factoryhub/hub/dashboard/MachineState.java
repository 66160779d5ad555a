package io.factoryhub.hub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A machine's state as its card's badge shows it, from a {@code state-changed} event of the rules on
 * {@code factory.topic.events}: ACTIVE, OFFLINE or the state of the rule that holds ({@code rule}, {@code group}; null
 * for the other two), since when (the event time it began).
 */
record MachineState(String machineId, String site, String line, String state, String rule, String group, long since) {

    static final String TYPE = "state-changed";

    static MachineState of(JsonNode event, long recordTime) throws IOException {
        String machineId = Json.text(event, "machineId");
        String state = Json.text(event, "to");
        if (machineId == null || state == null) {
            throw new IOException("a state-changed event without machineId or to");
        }
        return new MachineState(machineId, Json.text(event, "site"), Json.text(event, "line"), state,
                Json.text(event, "rule"), Json.text(event, "group"), EventTime.epochMillis(Json.text(event, "since"), recordTime));
    }

    /** From a machine's twin ({@code schema/machine-twin.schema.json}); null when it has no state yet. */
    static MachineState ofTwin(JsonNode twin) {
        JsonNode state = twin.path("state");
        String name = Json.text(state, "name");
        String machineId = Json.text(twin, "machineId");
        if (name == null || machineId == null) {
            return null;
        }
        return new MachineState(machineId, Json.text(twin, "site"), Json.text(twin, "line"), name, Json.text(state, "rule"),
                Json.text(state, "group"), EventTime.epochMillis(Json.text(state, "since"), System.currentTimeMillis()));
    }
}
