package io.factoryhub.hub.telemetry;

/** A payload that cannot become a telemetry event; routed to the dead-letter topic with its message. */
public class InvalidTelemetryException extends RuntimeException {
    public InvalidTelemetryException(String message) {
        super(message);
    }

    public InvalidTelemetryException(String message, Throwable cause) {
        super(message, cause);
    }
}
