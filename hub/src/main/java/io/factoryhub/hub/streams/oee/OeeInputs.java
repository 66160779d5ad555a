package io.factoryhub.hub.streams.oee;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records a machine's state-changed events and MES facts ({@link OeeMesFacts}) in its {@link MachineOee}. */
final class OeeInputs implements Processor<String, JsonNode, Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(OeeInputs.class);

    private KeyValueStore<String, MachineOee> machines;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        machines = context.getStateStore(OeePart.MACHINES);
    }

    @Override
    public void process(Record<String, JsonNode> record) {
        JsonNode input = record.value();
        MachineOee machine = machines.get(record.key());
        if (machine == null) {
            machine = new MachineOee();
        }
        try {
            if (input.has("fact")) {
                fact(machine, input);
            } else {
                stateChanged(machine, input);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            LOG.warn("Skipped an OEE input of machine {}: {} ({})", record.key(), e.getMessage(), input);
            return;
        }
        machines.put(record.key(), machine);
    }

    private static void stateChanged(MachineOee machine, JsonNode event) {
        long since = Instant.parse(event.path("since").asText()).toEpochMilli();
        String to = event.path("to").asText(null);
        if (to == null) {
            throw new IllegalArgumentException("no 'to' state");
        }
        machine.stateChanged(since, event.path("from").asText(null), to);
        place(machine, event);
    }

    private static void fact(MachineOee machine, JsonNode fact) {
        String id = fact.path("id").asText();
        boolean deleted = fact.path("deleted").asBoolean();
        if (fact.path("fact").asText().equals("count")) {
            if (deleted) {
                machine.counts.remove(id);
                return;
            }
            long at = fact.path("at").asLong();
            machine.counts.put(id, new MachineOee.Count(at, fact.path("good").asLong(), fact.path("scrap").asLong(),
                    fact.path("idealCycleMs").asLong()));
            machine.noteTime(at);
        } else {
            if (deleted) {
                machine.downtimes.remove(id);
                return;
            }
            JsonNode end = fact.get("end");
            long start = fact.path("start").asLong();
            machine.downtimes.put(id, new MachineOee.Downtime(start, end == null || end.isNull() ? null : end.asLong(),
                    fact.path("planned").asBoolean()));
            machine.noteTime(start);
        }
    }

    /** Site and line as the state events name them (the machine's telemetry). */
    private static void place(MachineOee machine, JsonNode event) {
        if (event.hasNonNull("site")) {
            machine.site = event.get("site").asText();
        }
        if (event.hasNonNull("line")) {
            machine.line = event.get("line").asText();
        }
    }
}
