package io.factoryhub.hub.opcua;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;

/**
 * Connection state of the running {@code opcua-subscription} consumers of one CamelContext, keyed by consumer id.
 * Held by the context's {@link OpcUaSubscriptionComponent}, so two contexts in one JVM (tests, a reload) never see
 * each other's consumers; a health check finds it with {@link #of(CamelContext)}.
 */
public final class OpcUaConnections {

    private final Map<String, Boolean> connected = new ConcurrentHashMap<>();

    /** The context's connections; none (an empty view) when the context has no opcua-subscription component yet. */
    public static OpcUaConnections of(CamelContext context) {
        return context.hasComponent(OpcUaSubscriptionComponent.SCHEME) instanceof OpcUaSubscriptionComponent component
                ? component.connections() : new OpcUaConnections();
    }

    void set(String consumerId, boolean value) {
        connected.put(consumerId, value);
    }

    void remove(String consumerId) {
        connected.remove(consumerId);
    }

    /** Consumer id to connected (session active and subscription created), sorted by id. */
    public Map<String, Boolean> snapshot() {
        return new TreeMap<>(connected);
    }

    public boolean allConnected() {
        return connected.values().stream().allMatch(Boolean::booleanValue);
    }
}
