package io.factoryhub.hub.streams;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.streams.aggregates.AggregatesPart;
import io.factoryhub.hub.streams.mes.MesContextPart;
import io.factoryhub.hub.streams.mes.MesTables;
import io.factoryhub.hub.streams.oee.OeePart;
import io.factoryhub.hub.streams.state.MachineStatePart;
import io.factoryhub.hub.streams.twin.TwinPart;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's stream processing on Kafka Streams: rules into machine states, MES context, aggregates, OEE and the
 * digital twin, in one topology under one application id. Hub instances with the same id split the partitions; a
 * stopped one's tasks, with their state (changelogs), move to the others.
 */
public final class MachineStreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MachineStreams.class);

    private final KafkaStreams streams;
    private final List<StreamsPart> parts;

    private MachineStreams(KafkaStreams streams, List<StreamsPart> parts) {
        this.streams = streams;
        this.parts = parts;
    }

    /** Starts processing in the background; {@link #streams()} says when it runs. */
    public static MachineStreams start(HubConfig config) {
        new MesTables(StreamsTopics.from(config)).ensureTopics(config);
        List<StreamsPart> parts = parts();
        KafkaStreams streams = new KafkaStreams(topology(config, parts), StreamsSettings.from(config));
        streams.setUncaughtExceptionHandler(e -> {
            LOG.error("Stream processing failed; replacing the thread: {}", e.toString(), e);
            return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        return new MachineStreams(streams, parts);
    }

    /** Every part of the topology, in the order they are added; new instances for each topology. */
    static List<StreamsPart> parts() {
        // OEE's read of factory.machine.events before the twin's: Streams merges one topic's sources, the first
        // one's timestamp extractor (event time of the state change) is the one that holds
        return List.of(
                new MachineStatePart(),
                new MesContextPart(),
                new AggregatesPart(),
                new OeePart(),
                new TwinPart());
    }

    /** What the parts count, on the hub's /metrics. */
    public void bindMetrics(MeterRegistry registry) {
        parts.forEach(part -> part.bindMetrics(registry));
    }

    static Topology topology(HubConfig config, List<StreamsPart> parts) {
        StreamsTopics topics = StreamsTopics.from(config);
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Reading> telemetry = builder.stream(topics.telemetry(),
                        Consumed.with(Serdes.String(), new ReadingSerde()).withTimestampExtractor(new ReadingTime()))
                .filter((machineId, reading) -> reading != null);
        MachineContexts.register(builder, topics);
        for (StreamsPart part : parts) {
            part.addTo(builder, telemetry, topics, config);
        }
        return builder.build();
    }

    /** For interactive queries and the health check. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Commits what was processed (exactly once) and leaves the group, so another instance takes over at once. */
    @Override
    public void close() {
        streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
    }
}
