package io.factoryhub.hub.streams.oee;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.rules.Rule;
import io.factoryhub.hub.streams.MachineContexts;
import io.factoryhub.hub.streams.Reading;
import io.factoryhub.hub.streams.StoreEntries;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reports each machine's OEE windows once closed: when stream time passed a window's end plus the grace period
 * ({@code factory.oee.grace-ms}, for state events and MES rows that come late). A window the machine spent OFFLINE
 * (or in a state not known) with nothing from the MES either is not reported ({@link MachineOee#silentThroughout}). It reads telemetry only as the clock:
 * state events and MES rows come rarely, readings all the time, and stream time is the task's, over all its inputs.
 */
final class OeeWindows implements Processor<String, Reading, String, JsonNode> {

    private static final long QUARTER = OeeWindow.smallest().sizeMs();

    private final long graceMs;
    /** The last quarter hour noted per machine since init (the store has it; this saves a read per reading). */
    private final Map<String, Long> notedQuarter = new HashMap<>();
    private final Set<String> downStates;
    private ProcessorContext<String, JsonNode> context;
    private KeyValueStore<String, MachineOee> machines;
    private Function<String, JsonNode> machineContext;
    /** No window closes before this stream time: machines are looked at once per boundary, not per punctuation. */
    private long nextCloseMs = Long.MIN_VALUE;

    OeeWindows(long graceMs, Set<String> downStates) {
        this.graceMs = graceMs;
        this.downStates = downStates;
    }

    @Override
    public void init(ProcessorContext<String, JsonNode> context) {
        this.context = context;
        machines = context.getStateStore(OeePart.MACHINES);
        notedQuarter.clear();
        machineContext = MachineContexts.lookup(context);
        context.schedule(Duration.ofSeconds(1), PunctuationType.STREAM_TIME, this::close);
    }

    @Override
    public void process(Record<String, Reading> reading) {
        // a reading moves stream time, which schedules close(); and it says the machine sent in this quarter hour,
        // noted once per machine and quarter (a machine that went silent is not reported window after window)
        long quarter = Math.floorDiv(reading.timestamp(), QUARTER) * QUARTER;
        Long noted = notedQuarter.get(reading.key());
        if (noted != null && noted >= quarter) {
            return;
        }
        notedQuarter.put(reading.key(), quarter);
        MachineOee machine = machines.get(reading.key());
        if (machine != null && machine.readingQuarters.add(quarter)) {
            machines.put(reading.key(), machine);
        }
    }

    private void close(long streamTimeMs) {
        if (streamTimeMs < nextCloseMs) {
            return;
        }
        for (KeyValue<String, MachineOee> entry : StoreEntries.all(machines)) {
            if (report(entry.key, entry.value, streamTimeMs)) {
                machines.put(entry.key, entry.value);
            }
        }
        nextCloseMs = StoreEntries.nextClose(streamTimeMs, graceMs, OeeWindow.smallest().sizeMs());
    }

    /** Reports the machine's closed windows; whether it changed. */
    private boolean report(String machineId, MachineOee machine, long streamTimeMs) {
        boolean changed = false;
        long horizon = Long.MAX_VALUE;
        for (OeeWindow window : OeeWindow.ALL) {
            Long start = machine.nextWindow(window.sizeMs());
            if (start == null) {
                return false;
            }
            while (start + window.sizeMs() + graceMs <= streamTimeMs) {
                long end = start + window.sizeMs();
                if (!machine.silentThroughout(start, end, Rule.OFFLINE)) {
                    placeFromMes(machineId, machine);
                    OeeFigures figures = OeeCalculation.of(machine, start, end, downStates);
                    context.forward(new Record<>(machineId, OeeRecord.machine(machineId, machine, window, start, figures), end));
                }
                start = end;
                changed = true;
            }
            machine.nextWindow.put(window.sizeMs(), start);
            horizon = Math.min(horizon, start);
        }
        if (changed) {
            machine.prune(horizon);
        }
        return changed;
    }

    /** Site and line from the MES when no state event named them. */
    private void placeFromMes(String machineId, MachineOee machine) {
        if (machine.line != null) {
            return;
        }
        JsonNode mes = machineContext.apply(machineId);
        if (mes != null && mes.hasNonNull("line")) {
            machine.site = mes.path("site").asText(null);
            machine.line = mes.path("line").asText();
        }
    }
}
