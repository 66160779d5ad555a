package io.factoryhub.hub.streams.oee;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.factoryhub.hub.streams.JsonSerde;
import io.factoryhub.hub.streams.StoreEntries;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sums the machine results of a line's window (key line) and reports the line once they stopped coming for
 * {@code factory.oee.line-wait-ms} of wall-clock time: a line's machines are on different tasks, which report a window
 * at about the same moment but not in the same one. A machine result for a window already reported is late: logged
 * and left out.
 */
final class LineOee implements Processor<String, JsonNode, String, JsonNode> {

    static final String WINDOWS = "oee-line-windows";
    static final String REPORTED = "oee-line-reported";
    private static final Logger LOG = LoggerFactory.getLogger(LineOee.class);

    private final long waitMs;
    private ProcessorContext<String, JsonNode> context;
    /** window|start|site|line → {"site","line","window","start","machines":[..],"inputs":{..},"touchedAt":wall ms} */
    private KeyValueStore<String, JsonNode> windows;
    /** window|site|line → {"end": end of the last window reported} */
    private KeyValueStore<String, JsonNode> reported;

    LineOee(long waitMs) {
        this.waitMs = waitMs;
    }

    @Override
    public void init(ProcessorContext<String, JsonNode> context) {
        this.context = context;
        windows = context.getStateStore(WINDOWS);
        reported = context.getStateStore(REPORTED);
        context.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::reportQuiet);
    }

    @Override
    public void process(Record<String, JsonNode> record) {
        JsonNode result = record.value();
        OeeWindow window = OeeWindow.of(result.path("window").asText());
        String site = result.path("site").asText("");
        String line = record.key();
        long start = OeeRecord.start(result);
        JsonNode last = reported.get(window.label() + "|" + site + "|" + line);
        if (last != null && start < last.path("end").asLong()) {
            LOG.warn("Left out of line {}'s OEE: machine {}'s result for the {} window from {}, which came after the line's",
                    line, result.path("machineId").asText(), window.label(), result.path("windowStart").asText());
            return;
        }
        String key = window.label() + "|" + String.format("%015d", start) + "|" + site + "|" + line;
        JsonNode sum = windows.get(key);
        TreeSet<String> machines = new TreeSet<>();
        OeeFigures figures = OeeFigures.NONE;
        if (sum != null) {
            sum.path("machines").forEach(machine -> machines.add(machine.asText()));
            figures = OeeFigures.fromJson(sum.path("inputs"));
        }
        if (!machines.add(result.path("machineId").asText())) {
            return;
        }
        figures = figures.plus(OeeFigures.fromJson(result.path("inputs")));
        ObjectNode updated = JsonSerde.MAPPER.createObjectNode().put("site", site).put("line", line)
                .put("window", window.label()).put("start", start).put("touchedAt", System.currentTimeMillis());
        machines.forEach(updated.putArray("machines")::add);
        updated.set("inputs", figures.toJson());
        windows.put(key, updated);
    }

    private void reportQuiet(long now) {
        for (KeyValue<String, JsonNode> entry : StoreEntries.all(windows)) {
            if (now - entry.value.path("touchedAt").asLong() < waitMs) {
                continue;
            }
            JsonNode sum = entry.value;
            OeeWindow window = OeeWindow.of(sum.path("window").asText());
            long start = sum.path("start").asLong();
            String site = sum.path("site").asText();
            String line = sum.path("line").asText();
            List<String> machines = new ArrayList<>();
            sum.path("machines").forEach(machine -> machines.add(machine.asText()));
            context.forward(new Record<>(line, OeeRecord.line(site.isEmpty() ? null : site, line, machines, window, start,
                    OeeFigures.fromJson(sum.path("inputs"))), start + window.sizeMs()));
            windows.delete(entry.key);
            String reportedKey = window.label() + "|" + site + "|" + line;
            JsonNode last = reported.get(reportedKey);
            long end = Math.max(start + window.sizeMs(), last == null ? Long.MIN_VALUE : last.path("end").asLong());
            reported.put(reportedKey, JsonSerde.MAPPER.createObjectNode().put("end", end));
        }
    }
}
