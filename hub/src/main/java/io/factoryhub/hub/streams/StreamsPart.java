package io.factoryhub.hub.streams;

import io.factoryhub.hub.config.HubConfig;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/** One job of the hub's stream processing (machine states, aggregates, OEE, ...), added to the one topology. */
public interface StreamsPart {

    /**
     * @param telemetry the telemetry topic as readings on event time, keyed by machineId; one source for every part,
     *                  so each event is read and parsed once
     */
    void addTo(StreamsBuilder builder, KStream<String, Reading> telemetry, StreamsTopics topics, HubConfig config);

    /** Publishes what the part counts on the hub's /metrics. */
    default void bindMetrics(MeterRegistry registry) {
    }
}
