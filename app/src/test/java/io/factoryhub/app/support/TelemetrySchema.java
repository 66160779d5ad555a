package io.factoryhub.app.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.util.Set;

/** The event schema the repo documents; every event a test reads is checked against it. */
public final class TelemetrySchema {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private TelemetrySchema() {
    }

    public static void assertValid(String json) {
        try {
            Set<ValidationMessage> errors = SCHEMA.validate(MAPPER.readTree(json));
            assertEquals(Set.of(), errors, "event violates schema/telemetry-event.schema.json: " + json);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    private static JsonSchema load() {
        try (InputStream in = TelemetrySchema.class.getClassLoader().getResourceAsStream("schema/telemetry-event.schema.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
