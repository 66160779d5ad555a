package io.factoryhub.hub.health;

import io.factoryhub.hub.streams.MachineStreams;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.kafka.streams.KafkaStreams;

/** Readiness of the stream processing (rules, aggregates, OEE, twin): up while Kafka Streams runs or rebalances. */
public final class StreamsCheck extends ReadinessCheck {

    private final MachineStreams streams;

    public StreamsCheck(MachineStreams streams) {
        super("streams");
        this.streams = streams;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        KafkaStreams.State state = streams.streams().state();
        builder.detail("state", state.name());
        if (state.isRunningOrRebalancing() || state == KafkaStreams.State.CREATED) {
            builder.up();
        } else {
            builder.message("Kafka Streams is " + state + " (see the log for why)").down();
        }
    }
}
