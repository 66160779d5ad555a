package io.factoryhub.hub.streams.aggregates;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.streams.EncodeAtCommitStore;
import io.factoryhub.hub.streams.JsonSerde;
import io.factoryhub.hub.streams.Reading;
import io.factoryhub.hub.streams.StreamsPart;
import io.factoryhub.hub.streams.StreamsTopics;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Per machine and tag, 1-minute tumbling windows on event time → {@code factory.machine.aggregates} (key machineId):
 * one final record per window and tag, once the window closed (its end plus {@code factory.aggregates.grace-ms} of
 * stream time), with the machine's MES context at that moment. Readings without a number (BAD) are not counted.
 */
public final class AggregatesPart implements StreamsPart {

    static final Duration WINDOW = Duration.ofMinutes(1);

    @Override
    public void addTo(StreamsBuilder builder, KStream<String, Reading> telemetry, StreamsTopics topics, HubConfig config) {
        // in memory: a few open windows per machine, restored from the changelog; a machine's windows are encoded
        // for the changelog once per commit, not once per reading
        builder.addStateStore(EncodeAtCommitStore.builder(Stores.inMemoryKeyValueStore(AggregateWindows.STORE),
                EncodeAtCommitStore.Codec.of(new MachineWindowsSerde())));
        telemetry.process(() -> new AggregateWindows(config.getInt("factory.aggregates.grace-ms")), Named.as("aggregates"),
                        AggregateWindows.STORE)
                .to(topics.aggregates(), Produced.<String, JsonNode>with(Serdes.String(), new JsonSerde()));
    }
}
