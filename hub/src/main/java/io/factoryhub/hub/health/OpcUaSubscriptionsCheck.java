package io.factoryhub.hub.health;

import io.factoryhub.hub.opcua.OpcUaConnections;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;

/** Ready when every OPC-UA subscription the connectors opened is connected (none open: nothing to wait for). */
public final class OpcUaSubscriptionsCheck extends ReadinessCheck {

    public OpcUaSubscriptionsCheck() {
        super("opcua-subscriptions");
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        // counts, not endpoints: /health names no server (see HealthRedaction)
        OpcUaConnections state = OpcUaConnections.of(getCamelContext());
        Map<String, Boolean> connections = state.snapshot();
        long disconnected = connections.values().stream().filter(connected -> !connected).count();
        builder.detail("subscriptions", connections.size());
        builder.detail("disconnected", disconnected);
        if (state.allConnected()) {
            builder.up();
        } else {
            builder.message(disconnected + " of " + connections.size() + " OPC-UA subscription(s) disconnected (reconnecting)");
            builder.down();
        }
    }
}
