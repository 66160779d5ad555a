package io.factoryhub.hub.telemetry;

/**
 * Header names the connectors and the dead-letter path agree on; they travel to Kafka as record headers. The
 * opcua-subscription consumer's own headers are {@link io.factoryhub.hub.opcua.OpcUaHeaders}, the record key is
 * camel-kafka's {@code KafkaConstants.KEY}.
 */
public final class TelemetryHeaders {

    /** Set by source kamelets: {@code mqtt}, {@code opcua}, ... */
    public static final String SOURCE_PROTOCOL = "factory_source_protocol";
    /** Set by source kamelets: MQTT topic or OPC-UA node id. */
    public static final String SOURCE_ADDRESS = "factory_source_address";
    /** The connector (Pipe) name. */
    public static final String CONNECTOR = "factory_connector";
    /** Why a payload went to the dead-letter topic. */
    public static final String ERROR = "factory_error";
    /** Exception class behind {@link #ERROR}. */
    public static final String ERROR_TYPE = "factory_error_type";
    /** On a dead letter Kafka refused: the topic the record was meant for. */
    public static final String ORIGINAL_TOPIC = "factory_original_topic";
    /** {@code true} on a dead letter whose payload was cut to fit the dead-letter topic. */
    public static final String PAYLOAD_TRUNCATED = "factory_payload_truncated";
    /** With {@link #PAYLOAD_TRUNCATED}: the payload's size before it was cut. */
    public static final String PAYLOAD_BYTES = "factory_payload_bytes";

    private TelemetryHeaders() {
    }
}
