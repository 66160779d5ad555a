package io.factoryhub.hub.streams.twin;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.streams.MachineContexts;
import io.factoryhub.hub.streams.Reading;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the twins of one task's machines and puts those that changed on the twin topic once per flush interval
 * (wall clock), not once per reading: at 50,000 readings/s over 1,000 machines that is 1,000 records/s instead of
 * 50,000, and each carries the whole machine.
 *
 * <p>Every accepted reading and state event is written to the task's stores ({@value TwinPart#READINGS_STORE},
 * {@value TwinPart#STATES_STORE}) as it comes, so what Kafka Streams commits (exactly once) with the input offsets
 * always includes it: a restart, or the instance that takes the task over, reads the twins back and puts each on the
 * topic again. Saving only at the flush lost the readings of the last interval whenever the task moved (a second
 * instance joining right after a machine's last reading left its twin without tags). The readings store encodes at
 * commit ({@link io.factoryhub.hub.streams.EncodeAtCommitStore}): RocksDB and the changelog get one write per tag and
 * commit, however many readings came. The in-memory copy spares a store read per reading. The MES context is read from {@link MachineContexts} at each flush, so a new work order
 * reaches the twin within one interval even when the machine is silent.
 */
final class TwinProcessor implements Processor<String, TwinChange, String, JsonNode> {

    private final Duration flushInterval;
    private final Map<String, MachineTwin> twins = new HashMap<>();
    private ProcessorContext<String, JsonNode> context;
    private KeyValueStore<String, Reading> readings;
    private KeyValueStore<String, JsonNode> states;
    private Function<String, JsonNode> machineContexts;

    TwinProcessor(Duration flushInterval) {
        this.flushInterval = flushInterval;
    }

    @Override
    public void init(ProcessorContext<String, JsonNode> context) {
        this.context = context;
        readings = context.getStateStore(TwinPart.READINGS_STORE);
        states = context.getStateStore(TwinPart.STATES_STORE);
        machineContexts = MachineContexts.lookup(context);
        try (KeyValueIterator<String, Reading> all = readings.all()) {
            all.forEachRemaining(entry -> twin(machineOf(entry.key)).offer(entry.value));
        }
        try (KeyValueIterator<String, JsonNode> all = states.all()) {
            all.forEachRemaining(entry -> twin(entry.key).state(entry.value));
        }
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, this::flush);
    }

    @Override
    public void process(Record<String, TwinChange> record) {
        String machineId = record.key();
        if (machineId == null) {
            return; // not of any machine: the contract keys both topics by machineId
        }
        if (record.value() instanceof TwinChange.TagRead read) {
            if (twin(machineId).offer(read.reading())) {
                readings.put(readingKey(machineId, read.reading().tag()), read.reading());
            }
        } else if (record.value() instanceof TwinChange.StateChanged changed) {
            twin(machineId).state(changed.event());
            states.put(machineId, changed.event());
        }
    }

    private void flush(long now) {
        twins.forEach((machineId, twin) -> {
            JsonNode machineContext = machineContexts.apply(machineId);
            if (twin.takeChange(machineContext)) {
                context.forward(new Record<>(machineId, TwinDocument.of(machineId, twin, machineContext, now), now));
            }
        });
    }

    private MachineTwin twin(String machineId) {
        return twins.computeIfAbsent(machineId, id -> new MachineTwin());
    }

    /** Machine first, so one machine's tags sit together in the store. */
    private static String readingKey(String machineId, String tag) {
        return machineId + '\u0000' + tag;
    }

    private static String machineOf(String readingKey) {
        return readingKey.substring(0, readingKey.indexOf('\u0000'));
    }
}
