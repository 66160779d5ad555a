package io.factoryhub.hub.telemetry;

/** Header names the connectors agree on; they travel to Kafka as record headers. */
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

    private TelemetryHeaders() {
    }
}
