package io.factoryhub.app.support;

/** The telemetry event schema the repo documents; every event a test reads is checked against it. */
public final class TelemetrySchema {

    private TelemetrySchema() {
    }

    public static void assertValid(String json) {
        SchemaFile.TELEMETRY.valid(json);
    }
}
