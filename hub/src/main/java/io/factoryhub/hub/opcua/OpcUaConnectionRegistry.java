package io.factoryhub.hub.opcua;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connection state of every running {@code opcua-subscription} consumer, keyed by a consumer id.
 * Static on purpose: a health check or metrics binder can read it without a handle on the consumers.
 */
public final class OpcUaConnectionRegistry {

    private static final Map<String, Boolean> CONNECTED = new ConcurrentHashMap<>();

    private OpcUaConnectionRegistry() {
    }

    static void set(String consumerId, boolean connected) {
        CONNECTED.put(consumerId, connected);
    }

    static void remove(String consumerId) {
        CONNECTED.remove(consumerId);
    }

    /** Consumer id to connected (session active and subscription created), sorted by id. */
    public static Map<String, Boolean> snapshot() {
        return new TreeMap<>(CONNECTED);
    }

    public static boolean allConnected() {
        return CONNECTED.values().stream().allMatch(Boolean::booleanValue);
    }
}
