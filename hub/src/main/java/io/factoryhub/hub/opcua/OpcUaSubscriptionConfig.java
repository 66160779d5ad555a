package io.factoryhub.hub.opcua;

import java.time.Duration;
import java.util.List;

/**
 * Everything one {@code opcua-subscription:} endpoint needs, parsed once from its URI.
 *
 * @param endpointUrl        {@code opc.tcp://host:port[/path]}
 * @param nodeIds            node ids as configured ({@code ns=2;s=...} or {@code nsu=urn:...;s=...})
 * @param samplingInterval   requested per-item sampling interval, ms
 * @param publishingInterval requested subscription publishing interval, ms
 * @param queueSize          server-side queue per monitored item
 * @param absoluteDeadband   report a value only when it moved at least this much; 0 = every change
 * @param securityPolicy     Milo SecurityPolicy name, e.g. {@code None}, {@code Basic256Sha256}
 * @param workers            delivery lanes; a node always uses the same lane, which keeps its order
 * @param laneCapacity       pending data changes per lane before the Milo thread has to wait
 * @param reconnectMin       first reconnect delay; doubled per failed attempt up to reconnectMax
 * @param reconnectMax       longest reconnect delay
 * @param connector          name in connection events and metrics; null = the route id without {@code -source}
 */
public record OpcUaSubscriptionConfig(
        String endpointUrl,
        List<String> nodeIds,
        double samplingInterval,
        double publishingInterval,
        int queueSize,
        double absoluteDeadband,
        String username,
        String password,
        String securityPolicy,
        int workers,
        int laneCapacity,
        Duration reconnectMin,
        Duration reconnectMax,
        String connector) {

    public OpcUaSubscriptionConfig {
        nodeIds = List.copyOf(nodeIds);
        if (nodeIds.isEmpty()) {
            throw new IllegalArgumentException("opcua-subscription needs at least one node id (nodeIds=...)");
        }
        if (workers < 1 || laneCapacity < 1) {
            throw new IllegalArgumentException("workers and laneCapacity must be positive");
        }
    }
}
