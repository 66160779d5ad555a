package io.factoryhub.hub.streams.mes;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.streams.JsonSerde;
import io.factoryhub.hub.streams.Reading;
import io.factoryhub.hub.streams.StreamsPart;
import io.factoryhub.hub.streams.StreamsTopics;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The MES context of each machine ({@code factory.machine.context}, key machineId, compacted) from the CDC topics of
 * equipment, products and work_orders. Adds the {@link MesStores} that later parts read, so it comes before them.
 */
public final class MesContextPart implements StreamsPart {

    @Override
    public void addTo(StreamsBuilder builder, KStream<String, Reading> telemetry, StreamsTopics topics, HubConfig config) {
        MesTables tables = new MesTables(topics);
        List<String> stores = List.of(MesStores.EQUIPMENT, MesStores.PRODUCTS, MesStores.WORK_ORDERS,
                MesStores.RUNNING_ORDERS, MesStores.CONTEXTS);
        for (String store : stores) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    new JsonSerde()));
        }
        builder.stream(List.of(tables.topic(MesTables.Table.EQUIPMENT), tables.topic(MesTables.Table.PRODUCTS),
                        tables.topic(MesTables.Table.WORK_ORDERS)), Consumed.with(Serdes.String(), Serdes.String()))
                .process(() -> new MachineContextProcessor(tables), Named.as("mes-context"), stores.toArray(String[]::new))
                .to(topics.context(), Produced.<String, JsonNode>with(Serdes.String(), new JsonSerde()));
    }
}
