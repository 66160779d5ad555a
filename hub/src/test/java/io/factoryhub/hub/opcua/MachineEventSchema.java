package io.factoryhub.hub.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;

/** schema/machine-event.schema.json: every machine event a test sees is checked against it. */
final class MachineEventSchema {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = load();

    private MachineEventSchema() {
    }

    /** The event, parsed, after asserting it is valid. */
    static JsonNode valid(String json) {
        try {
            JsonNode event = MAPPER.readTree(json);
            Set<ValidationMessage> errors = SCHEMA.validate(event);
            assertEquals(Set.of(), errors, "event violates schema/machine-event.schema.json: " + json);
            return event;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    static Set<ValidationMessage> errors(String json) throws IOException {
        return SCHEMA.validate(MAPPER.readTree(json));
    }

    private static JsonSchema load() {
        try (InputStream in = MachineEventSchema.class.getClassLoader().getResourceAsStream("schema/machine-event.schema.json")) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
