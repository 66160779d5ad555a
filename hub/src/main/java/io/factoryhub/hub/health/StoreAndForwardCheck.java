package io.factoryhub.hub.health;

import io.factoryhub.hub.buffer.StoreAndForward;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The store-and-forward buffer: {@code state} OK or DEGRADED (full: new readings are refused and stay with their
 * senders — MQTT brokers keep them unacknowledged — until Kafka drains it). DEGRADED reports down, so the hub is not
 * ready while it cannot take readings.
 */
public final class StoreAndForwardCheck extends ReadinessCheck {

    private final StoreAndForward buffer;

    public StoreAndForwardCheck(StoreAndForward buffer) {
        super("store-and-forward");
        this.buffer = buffer;
    }


    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("records", buffer.records());
        builder.detail("bytes", buffer.bytes());
        builder.detail("max_bytes", buffer.maxBytes());
        builder.detail("oldest_age_seconds", buffer.forwarding().oldestAgeSeconds());
        if (buffer.isFull()) {
            builder.detail("state", "DEGRADED");
            builder.message("DEGRADED: store-and-forward buffer full (" + buffer.bytes() + " of " + buffer.maxBytes()
                    + " bytes, factory.buffer.max-bytes); new readings are not acknowledged and stay in the brokers");
            builder.down();
        } else {
            builder.detail("state", "OK");
            builder.up();
        }
    }
}
