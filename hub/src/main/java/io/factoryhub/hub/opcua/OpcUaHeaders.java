package io.factoryhub.hub.opcua;

/** Header names set by the {@code opcua-subscription} consumer. */
public final class OpcUaHeaders {

    /** The node id exactly as configured in the endpoint URI. */
    public static final String NODE_ID = "CamelOpcUaNodeId";
    /** Last segment of the node path, e.g. {@code vibration}: the tag name. */
    public static final String BROWSE_NAME = "CamelOpcUaBrowseName";
    /** ISO-8601 source timestamp, or the server timestamp when the source did not set one. */
    public static final String SOURCE_TIME = "CamelOpcUaSourceTime";
    /** Raw 32-bit StatusCode as a long. */
    public static final String STATUS_CODE = "CamelOpcUaStatusCode";
    /** {@code GOOD}, {@code UNCERTAIN} or {@code BAD}. */
    public static final String QUALITY = "CamelOpcUaQuality";
    /** The server endpoint URL the value came from. */
    public static final String ENDPOINT = "CamelOpcUaEndpoint";

    private OpcUaHeaders() {
    }
}
