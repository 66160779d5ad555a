package io.factoryhub.hub.health;

import io.factoryhub.hub.buffer.ForwardingState;
import io.factoryhub.hub.buffer.StoreAndForward;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Ready while the factory Kafka acknowledges what the buffer's forwarder sends — Kafka's state as the producer sees it,
 * not a TCP probe. Down while it does not: the readings wait in the store-and-forward buffer and nothing is lost.
 */
public final class KafkaForwardingCheck extends ReadinessCheck {

    private final StoreAndForward buffer;

    public KafkaForwardingCheck(StoreAndForward buffer) {
        super("kafka");
        this.buffer = buffer;
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        ForwardingState state = buffer.forwarding();
        builder.detail("forwarded_records", state.forwarded());
        builder.detail("buffered_records", buffer.records());
        if (state.failingSince().isEmpty()) {
            builder.up();
            return;
        }
        Instant since = state.failingSince().get();
        builder.detail("failing_since", since.toString());
        builder.message("Kafka has not accepted records for " + Duration.between(since, Instant.now()).toSeconds()
                + " s (" + state.lastError().orElse("unknown error") + "); " + buffer.records()
                + " record(s) wait in the store-and-forward buffer and are sent when it does");
        builder.down();
    }
}
