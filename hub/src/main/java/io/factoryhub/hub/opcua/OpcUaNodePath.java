package io.factoryhub.hub.opcua;

import java.util.Optional;

/**
 * The factory's naming of OPC-UA variables: the string identifier of {@code ns=2;s=<site>/<line>/<machine>/<tag>}
 * (or {@code nsu=<uri>;s=...}). One place for it, so telemetry and connection events name the same machine.
 */
public record OpcUaNodePath(String site, String line, String machine, String tag) {

    /** The path of a node id that follows the naming; empty for any other node id. */
    public static Optional<OpcUaNodePath> of(String nodeId) {
        if (nodeId == null) {
            return Optional.empty();
        }
        int idStart = nodeId.indexOf(";s=");
        String identifier = idStart >= 0 ? nodeId.substring(idStart + 3) : nodeId;
        String[] path = identifier.split("/");
        return path.length == 4 ? Optional.of(new OpcUaNodePath(path[0], path[1], path[2], path[3])) : Optional.empty();
    }
}
