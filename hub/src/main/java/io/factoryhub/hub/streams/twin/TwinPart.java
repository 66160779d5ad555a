package io.factoryhub.hub.streams.twin;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.streams.EncodeAtCommitStore;
import io.factoryhub.hub.streams.JsonSerde;
import io.factoryhub.hub.streams.MachineEventTime;
import io.factoryhub.hub.streams.Reading;
import io.factoryhub.hub.streams.ReadingSerde;
import io.factoryhub.hub.streams.StreamsPart;
import io.factoryhub.hub.streams.StreamsTopics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The digital twin of each machine: the newest reading of every tag, the machine state (the rules' state-changed
 * events) and the MES context, on the compacted {@code factory.machine.twin} (key machineId), at most once per
 * {@code factory.twin.flush-interval-ms} per machine ({@link TwinProcessor}).
 *
 * <p>Queried through the global store {@value #TWINS_STORE} over that topic, which every instance holds whole: any
 * instance answers for every machine from its own copy, with no forwarding to the instance that owns the machine's
 * partition, and a restarted one answers as soon as it has read the compacted topic back. What it costs: each
 * instance reads the twin topic, one record per machine and flush interval at most.
 */
public final class TwinPart implements StreamsPart {

    /** Every twin, on every instance: what {@code /api/machines} reads. */
    public static final String TWINS_STORE = "machine-twins";
    static final String READINGS_STORE = "twin-readings";
    static final String STATES_STORE = "twin-states";

    @Override
    public void addTo(StreamsBuilder builder, KStream<String, Reading> telemetry, StreamsTopics topics, HubConfig config) {
        // in memory, restored from its changelog at a start: one small entry per machine and tag, written each commit;
        // in RocksDB it cost bench rules a quarter of its throughput (background flushes and compactions)
        builder.addStateStore(EncodeAtCommitStore.builder(Stores.inMemoryKeyValueStore(READINGS_STORE),
                EncodeAtCommitStore.Codec.of(new ReadingSerde())));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STATES_STORE),
                Serdes.String(), new JsonSerde()));
        KStream<String, TwinChange> states = builder.stream(topics.events(),
                        // as OEE reads the topic: Kafka Streams makes one source of both, so they must agree
                        Consumed.with(Serdes.String(), new JsonSerde()).withTimestampExtractor(new MachineEventTime()))
                .filter(new StateChanges())
                .mapValues(TwinChange.StateChanged::new);
        Duration flushInterval = Duration.ofMillis(config.getInt("factory.twin.flush-interval-ms"));
        telemetry.<TwinChange>mapValues(TwinChange.TagRead::new)
                .merge(states)
                .process(() -> new TwinProcessor(flushInterval), Named.as("machine-twin"), READINGS_STORE, STATES_STORE)
                .to(topics.twin(), Produced.with(Serdes.String(), new JsonSerde()));
        builder.globalTable(topics.twin(), Consumed.with(Serdes.String(), new JsonSerde()),
                Materialized.<String, JsonNode, KeyValueStore<Bytes, byte[]>>as(TWINS_STORE));
    }
}
