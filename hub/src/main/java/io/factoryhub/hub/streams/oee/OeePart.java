package io.factoryhub.hub.streams.oee;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.streams.JsonSerde;
import io.factoryhub.hub.streams.MachineEventTime;
import io.factoryhub.hub.streams.Reading;
import io.factoryhub.hub.streams.StreamsPart;
import io.factoryhub.hub.streams.StreamsTopics;
import io.factoryhub.hub.streams.mes.MesContextPart;
import io.factoryhub.hub.streams.mes.MesStores;
import io.factoryhub.hub.streams.mes.MesTables;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * OEE per machine and per line over 15-minute and 1-hour windows → {@code factory.line.oee} ({@link OeeFigures} says
 * how each factor is computed, {@link OeeRecord} what a record holds). Inputs: the state-changed events on
 * {@code factory.machine.events} (availability), the MES downtime_events (availability, planned time) and
 * production_counts with their products' ideal cycle times (performance, quality). Comes after {@link MesContextPart},
 * whose work order and product stores it reads.
 */
public final class OeePart implements StreamsPart {

    static final String MACHINES = "oee-machines";

    @Override
    public void addTo(StreamsBuilder builder, KStream<String, Reading> telemetry, StreamsTopics topics, HubConfig config) {
        MesTables tables = new MesTables(topics);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OeeMesFacts.PENDING),
                Serdes.String(), new JsonSerde()));
        KStream<String, JsonNode> facts = builder.stream(List.of(tables.topic(MesTables.Table.PRODUCTION_COUNTS),
                        tables.topic(MesTables.Table.DOWNTIME_EVENTS)), Consumed.with(Serdes.String(), Serdes.String()))
                .process(() -> new OeeMesFacts(tables), Named.as("oee-mes-facts"), MesStores.WORK_ORDERS,
                        MesStores.PRODUCTS, OeeMesFacts.PENDING)
                // from the one-partition MES task to the machine's: as many partitions as the events topic
                .repartition(Repartitioned.<String, JsonNode>with(Serdes.String(), new JsonSerde())
                        .withName("oee-mes-facts").withNumberOfPartitions(config.getInt("factory.topic.partitions")));
        KStream<String, JsonNode> states = builder.stream(topics.events(),
                        Consumed.with(Serdes.String(), new JsonSerde()).withTimestampExtractor(new MachineEventTime()))
                .filter((machineId, event) -> event != null && "state-changed".equals(event.path("type").asText()),
                        Named.as("oee-state-changes"));

        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(MACHINES), Serdes.String(),
                new MachineOeeSerde()));
        facts.merge(states, Named.as("oee-inputs-merged")).process(OeeInputs::new, Named.as("oee-inputs"), MACHINES);
        KStream<String, JsonNode> machines = telemetry.process(
                () -> new OeeWindows(config.getInt("factory.oee.grace-ms"), downStates(config)), Named.as("oee-windows"),
                MACHINES);
        machines.to(topics.oee(), Produced.with(Serdes.String(), new JsonSerde()));

        for (String store : List.of(LineOee.WINDOWS, LineOee.REPORTED)) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    new JsonSerde()));
        }
        machines.filter((machineId, result) -> result.hasNonNull("line"), Named.as("oee-machines-on-lines"))
                .selectKey((machineId, result) -> result.get("line").asText(), Named.as("oee-by-line"))
                .repartition(Repartitioned.<String, JsonNode>with(Serdes.String(), new JsonSerde()).withName("oee-lines"))
                .process(() -> new LineOee(config.getInt("factory.oee.line-wait-ms")), Named.as("oee-lines"),
                        LineOee.WINDOWS, LineOee.REPORTED)
                .to(topics.oee(), Produced.with(Serdes.String(), new JsonSerde()));
    }

    /** {@code factory.oee.down-states}: the machine states counted as downtime. */
    static Set<String> downStates(HubConfig config) {
        return Arrays.stream(config.get("factory.oee.down-states").split(",")).map(String::trim)
                .filter(state -> !state.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }
}
