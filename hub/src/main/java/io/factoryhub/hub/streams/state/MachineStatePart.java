package io.factoryhub.hub.streams.state;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.state.LiveRules;
import io.factoryhub.hub.state.MachineState;
import io.factoryhub.hub.state.MachineStateCodec;
import io.factoryhub.hub.state.StateCounters;
import io.factoryhub.hub.state.StateTimings;
import io.factoryhub.hub.streams.EncodeAtCommitStore;
import io.factoryhub.hub.streams.JsonSerde;
import io.factoryhub.hub.streams.Reading;
import io.factoryhub.hub.streams.StreamsPart;
import io.factoryhub.hub.streams.StreamsTopics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Rules into machine states (README "Rules"): the control topic {@code factory.rules} into a global store on every
 * instance, each machine's state from its readings ({@link io.factoryhub.hub.state.StateEngine}), only the
 * transitions to {@code factory.machine.events} as {@code state-changed} events.
 */
public final class MachineStatePart implements StreamsPart {

    /**
     * Each machine's evaluation state with its waiting readings (binary, {@link io.factoryhub.hub.state.MachineStateCodec}),
     * key machineId.
     */
    public static final String STATE_STORE = "machine-state";
    /** The control topic's records as they are (global: every instance has every rule). */
    static final String RULES_STORE = "factory-rules";

    /** Wall-clock fields of a decoded state count from its decoding: the task's start. */
    private static final EncodeAtCommitStore.Codec<MachineState> STORED = new EncodeAtCommitStore.Codec<>() {
        @Override
        public byte[] encode(String machineId, MachineState state) {
            return MachineStateCodec.encode(state);
        }

        @Override
        public MachineState decode(String machineId, byte[] bytes) {
            return MachineStateCodec.decode(machineId, bytes, System.currentTimeMillis());
        }
    };

    private final LiveRules rules = new LiveRules();
    private final StateCounters counters = new StateCounters();

    @Override
    public void addTo(StreamsBuilder builder, KStream<String, Reading> telemetry, StreamsTopics topics, HubConfig config) {
        builder.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(RULES_STORE), Serdes.String(),
                        Serdes.String()).withLoggingDisabled(),
                topics.rules(), Consumed.with(Serdes.String(), Serdes.String()), () -> new RuleLoader(rules, counters));
        // a machine's state changes with each of its readings: encoded once per commit, its last
        builder.addStateStore(EncodeAtCommitStore.builder(Stores.persistentKeyValueStore(STATE_STORE), STORED));
        StateTimings timings = StateTimings.from(config);
        Duration tick = Duration.ofMillis(config.getInt("factory.rules.tick-ms"));
        telemetry.process(() -> new MachineStateProcessor(timings, rules, counters, tick), STATE_STORE)
                .to(topics.events(), Produced.with(Serdes.String(), new JsonSerde()));
    }

    @Override
    public void bindMetrics(MeterRegistry registry) {
        FunctionCounter.builder("factory.rules.readings", counters, StateCounters::readings)
                .description("Readings evaluated against the rules, late ones included").register(registry);
        FunctionCounter.builder("factory.rules.readings.late", counters, StateCounters::late)
                .description("Readings older than their machine's watermark: counted, not applied").register(registry);
        FunctionCounter.builder("factory.rules.readings.applied", counters, StateCounters::applied)
                .description("Readings applied to machine states, in event-time order").register(registry);
        FunctionCounter.builder("factory.rules.transitions", counters, StateCounters::transitions)
                .description("Machine state changes sent as state-changed events").register(registry);
        FunctionCounter.builder("factory.rules.refused", counters, c -> c.refusedRules.sum())
                .description("Control-topic records that are not a valid rule").register(registry);
        Gauge.builder("factory.rules.loaded", rules, LiveRules::size).description("Rules in effect").register(registry);
    }
}
