package io.factoryhub.hub.streams.twin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The twins as this instance's copy of {@value TwinPart#TWINS_STORE} holds them (interactive queries). Only while
 * Kafka Streams runs: before that the copy may still be being read back, and while instances join or leave
 * (rebalancing) it is not queried either, so an answer is never a partial view.
 */
public final class MachineTwins {

    /** The twins cannot be read now; the message says why and that it passes. */
    public static final class Unavailable extends Exception {
        Unavailable(String message) {
            super(message);
        }
    }

    private final KafkaStreams streams;

    public MachineTwins(KafkaStreams streams) {
        this.streams = streams;
    }

    /** Every machine's twin, by machineId. */
    public List<JsonNode> all() throws Unavailable {
        try (KeyValueIterator<String, JsonNode> twins = store().all()) {
            List<JsonNode> all = new ArrayList<>();
            twins.forEachRemaining(twin -> all.add(twin.value));
            return all;
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    public Optional<JsonNode> find(String machineId) throws Unavailable {
        try {
            return Optional.ofNullable(store().get(machineId));
        } catch (InvalidStateStoreException e) {
            throw unavailable(e);
        }
    }

    private ReadOnlyKeyValueStore<String, JsonNode> store() throws Unavailable {
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            throw new Unavailable(state == KafkaStreams.State.REBALANCING || state == KafkaStreams.State.CREATED
                    ? "stream processing is " + state + " (starting, or hub instances joining or leaving): the machine twins are"
                    + " being restored; try again in a few seconds"
                    : "stream processing is " + state + ": no machine twins (see the hub's log and /health)");
        }
        return streams.store(StoreQueryParameters.fromNameAndType(TwinPart.TWINS_STORE, QueryableStoreTypes.keyValueStore()));
    }

    private Unavailable unavailable(InvalidStateStoreException e) {
        return new Unavailable("the machine twins cannot be read right now (" + e.getMessage() + "); try again in a few seconds");
    }
}
