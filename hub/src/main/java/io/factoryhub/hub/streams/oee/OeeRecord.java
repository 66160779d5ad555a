package io.factoryhub.hub.streams.oee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.hub.streams.JsonSerde;
import java.time.Instant;
import java.util.Collection;

/**
 * An OEE record on {@code factory.line.oee}: {@code "scope":"machine"} (key machineId) or {@code "scope":"line"}
 * (key line, with the machines it sums), the window, each factor and their product, and the inputs they came from.
 */
final class OeeRecord {

    static final String MACHINE = "machine";
    static final String LINE = "line";

    private OeeRecord() {
    }

    static ObjectNode machine(String machineId, MachineOee machine, OeeWindow window, long start, OeeFigures figures) {
        ObjectNode json = JsonSerde.MAPPER.createObjectNode();
        json.put("scope", MACHINE);
        json.put("machineId", machineId);
        return with(json, machine.site, machine.line, window, start, figures);
    }

    static ObjectNode line(String site, String line, Collection<String> machines, OeeWindow window, long start,
                           OeeFigures figures) {
        ObjectNode json = JsonSerde.MAPPER.createObjectNode();
        json.put("scope", LINE);
        ObjectNode result = with(json, site, line, window, start, figures);
        machines.forEach(result.putArray("machines")::add);
        return result;
    }

    private static ObjectNode with(ObjectNode json, String site, String line, OeeWindow window, long start,
                                   OeeFigures figures) {
        json.put("site", site);
        json.put("line", line);
        json.put("window", window.label());
        json.put("windowStart", Instant.ofEpochMilli(start).toString());
        json.put("windowEnd", Instant.ofEpochMilli(start + window.sizeMs()).toString());
        json.put("availability", figures.availability());
        json.put("performance", figures.performance());
        json.put("quality", figures.quality());
        json.put("oee", figures.oee());
        json.set("inputs", figures.toJson());
        json.put("emittedAt", Instant.now().toString());
        return json;
    }

    static long start(JsonNode record) {
        return Instant.parse(record.path("windowStart").asText()).toEpochMilli();
    }
}
