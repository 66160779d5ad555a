package io.factoryhub.hub.streams;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Each machine's current MES context ({@code factory.machine.context}, compacted, key machineId) as one global table
 * every part reads by its store name, registered once by {@link MachineStreams}: a topic may feed only one global
 * store of a topology.
 */
public final class MachineContexts {

    /** The global store's name: {@code context.getStateStore(MachineContexts.STORE)}, or {@link #lookup}. */
    public static final String STORE = "machine-context";

    private MachineContexts() {
    }

    static void register(StreamsBuilder builder, StreamsTopics topics) {
        builder.globalTable(topics.context(), Consumed.with(Serdes.String(), new JsonSerde()),
                Materialized.<String, JsonNode, KeyValueStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(new JsonSerde()));
    }

    /** A machine's context (e.g. {@code product_code}) from a processor's context; null when it has none. */
    public static Function<String, JsonNode> lookup(ProcessingContext context) {
        KeyValueStore<String, Object> store = context.getStateStore(STORE);
        return machineId -> {
            Object value = store.get(machineId);
            return value instanceof ValueAndTimestamp<?> stamped ? (JsonNode) stamped.value() : (JsonNode) value;
        };
    }
}
