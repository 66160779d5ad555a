package io.factoryhub.hub.streams.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.state.LiveRules;
import io.factoryhub.hub.state.MachineState;
import io.factoryhub.hub.state.StateChangedEvent;
import io.factoryhub.hub.state.StateCounters;
import io.factoryhub.hub.state.StateEngine;
import io.factoryhub.hub.state.StateTimings;
import io.factoryhub.hub.state.Transition;
import io.factoryhub.hub.streams.MachineContexts;
import io.factoryhub.hub.streams.Reading;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The Streams side of {@link StateEngine}, one per task: its machines in memory for speed, every change put to the
 * task's store (encoded at commit, changelogged, exactly once), so a restart or another instance resumes from it.
 * Readings arrive keyed by machineId; transitions leave keyed by machineId to {@code factory.machine.events}.
 */
final class MachineStateProcessor implements Processor<String, Reading, String, JsonNode> {

    private final StateTimings timings;
    private final LiveRules rules;
    private final StateCounters counters;
    private final Duration tick;
    private final Map<String, MachineState> machines = new HashMap<>();
    private final StateEngine.Output out = this::transition;
    private ProcessorContext<String, JsonNode> context;
    private KeyValueStore<String, MachineState> states;
    private StateEngine engine;
    private long now;

    MachineStateProcessor(StateTimings timings, LiveRules rules, StateCounters counters, Duration tick) {
        this.timings = timings;
        this.rules = rules;
        this.counters = counters;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, JsonNode> context) {
        this.context = context;
        states = context.getStateStore(MachineStatePart.STATE_STORE);
        engine = new StateEngine(timings, rules, counters, MachineContexts.lookup(context));
        now = System.currentTimeMillis(); // the thread's cached clock may be stale before its first record
        restore();
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    /** The task's machines with their waiting readings, from its store (restored from the changelog first). */
    private void restore() {
        machines.clear();
        try (KeyValueIterator<String, MachineState> all = states.all()) {
            all.forEachRemaining(state -> machines.put(state.key, state.value));
        }
    }

    @Override
    public void process(Record<String, Reading> record) {
        now = context.currentSystemTimeMs();
        Reading reading = record.value();
        MachineState machine = machines.computeIfAbsent(reading.machineId(), id -> new MachineState(id, now));
        engine.onReading(machine, reading, record.timestamp(), now, out);
        save(machine);
    }

    private void tick(long wallMs) {
        now = wallMs;
        for (MachineState machine : machines.values()) {
            engine.onTick(machine, now, out);
            save(machine);
        }
    }

    private void save(MachineState machine) {
        if (machine.dirty()) {
            states.put(machine.machineId(), machine); // encoded at commit
            machine.clean();
        }
    }

    private void transition(Transition transition) {
        context.forward(new Record<>(transition.machineId(), StateChangedEvent.of(transition, now), now));
    }
}
