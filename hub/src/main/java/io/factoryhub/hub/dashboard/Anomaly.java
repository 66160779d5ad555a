package io.factoryhub.hub.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/**
 * An anomaly event of {@code factory.topic.anomalies}, kept as it was written (schema/anomaly-event.schema.json): the
 * page reads its fields (machine, tag, score, model and version, detectedAt, the window) from the event itself, so
 * the event's shape is defined in one place.
 */
record Anomaly(String machineId, String tag, JsonNode event) {

    static Anomaly parse(byte[] json) throws IOException {
        JsonNode event = Json.MAPPER.readTree(json);
        String machineId = Json.text(event, "machineId");
        if (machineId == null || !event.path("score").isNumber()) {
            throw new IOException("no machineId or score");
        }
        return new Anomaly(machineId, Json.text(event, "tag"), event);
    }
}
