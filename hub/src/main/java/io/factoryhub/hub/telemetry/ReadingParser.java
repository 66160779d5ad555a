package io.factoryhub.hub.telemetry;

/** Turns one payload of a given wire format into a reading, or explains why it cannot. */
public interface ReadingParser {

    /** @throws InvalidTelemetryException when the payload is malformed or lacks required fields */
    Reading parse(Object body, ReadingContext context);
}
