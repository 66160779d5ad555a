package io.factoryhub.hub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * A machine event of {@code factory.topic.events} ({@code connection-lost}, {@code buffer-full},
 * {@code inference-unavailable}, ... and their recoveries): what happened to which machine, and when the hub wrote it
 * (the record's timestamp: each type names its own time differently).
 */
record MachineEvent(String type, String machineId, long time) {

    static MachineEvent of(JsonNode event, long recordTime) throws IOException {
        String type = Json.text(event, "type");
        String machineId = Json.text(event, "machineId");
        if (type == null || machineId == null) {
            throw new IOException("no type or machineId");
        }
        return new MachineEvent(type, machineId, recordTime);
    }
}
