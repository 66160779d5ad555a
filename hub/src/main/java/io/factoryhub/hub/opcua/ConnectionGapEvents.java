package io.factoryhub.hub.opcua;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Turns the ups and downs of one connector's OPC-UA session into {@code connection-lost} / {@code connection-restored}
 * machine events (schema/machine-event.schema.json): one per machine whose nodes the connector monitors, so each
 * machine's consumers see the gap in its own stream. A node id outside the {@code <site>/<line>/<machine>/<tag>}
 * naming is reported under the connector's name.
 *
 * <p>Only a session that once delivered can be lost: a server that is down when the hub starts is a WARN and a
 * DOWN readiness, not a gap. Called from Milo's threads and the supervisor's tick, so the methods only record and
 * hand the event on ({@code send} must return at once).
 */
final class ConnectionGapEvents {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String connector;
    private final String endpoint;
    private final Map<String, List<String>> nodesByMachine;
    private final BiConsumer<String, String> send;
    private final Clock clock;
    private boolean flowing;
    private Instant lostSince;

    /** @param send takes machine id and event JSON, and must not block */
    ConnectionGapEvents(String connector, String endpoint, List<String> nodeIds, BiConsumer<String, String> send, Clock clock) {
        this.connector = connector;
        this.endpoint = endpoint;
        this.nodesByMachine = byMachine(connector, nodeIds);
        this.send = send;
        this.clock = clock;
    }

    /** The session went down: a lost event per machine, once per outage. */
    synchronized void sessionLost() {
        if (!flowing) {
            return;
        }
        flowing = false;
        lostSince = clock.instant();
        nodesByMachine.forEach((machine, nodes) -> send.accept(machine, json(event("connection-lost", machine, nodes))));
    }

    /** Session and subscription are up: a restored event per machine with the gap, if there was one. */
    synchronized void valuesFlowing() {
        if (flowing) {
            return;
        }
        flowing = true;
        if (lostSince == null) {
            return;
        }
        Instant restored = clock.instant();
        double gapSeconds = Duration.between(lostSince, restored).toMillis() / 1000.0;
        nodesByMachine.forEach((machine, nodes) -> {
            ObjectNode event = event("connection-restored", machine, nodes);
            event.put("restored", restored.toString());
            event.put("gapSeconds", gapSeconds);
            send.accept(machine, json(event));
        });
        lostSince = null;
    }

    private ObjectNode event(String type, String machine, List<String> nodes) {
        ObjectNode event = MAPPER.createObjectNode();
        event.put("type", type);
        event.put("machineId", machine);
        event.put("connector", connector);
        event.put("endpoint", endpoint);
        nodes.forEach(event.putArray("nodes")::add);
        event.put("since", lostSince.toString());
        return event;
    }

    private static String json(ObjectNode event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a machine event", e);
        }
    }

    private static Map<String, List<String>> byMachine(String connector, List<String> nodeIds) {
        Map<String, List<String>> byMachine = new LinkedHashMap<>();
        for (String nodeId : nodeIds) {
            String machine = OpcUaNodePath.of(nodeId).map(OpcUaNodePath::machine).orElse(connector);
            byMachine.computeIfAbsent(machine, m -> new ArrayList<>()).add(nodeId);
        }
        return byMachine;
    }
}
