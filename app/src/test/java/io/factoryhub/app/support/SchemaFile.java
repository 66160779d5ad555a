package io.factoryhub.app.support;

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

/** A JSON schema the repo documents (hub/src/main/resources/schema/); every event a test reads is checked against one. */
public final class SchemaFile {

    public static final SchemaFile TELEMETRY = new SchemaFile("schema/telemetry-event.schema.json");
    public static final SchemaFile MACHINE_EVENT = new SchemaFile("schema/machine-event.schema.json");
    public static final SchemaFile ANOMALY = new SchemaFile("schema/anomaly-event.schema.json");
    public static final SchemaFile RULE = new SchemaFile("schema/rule.schema.json");
    public static final SchemaFile MACHINE_CONTEXT = new SchemaFile("schema/machine-context.schema.json");
    public static final SchemaFile MACHINE_AGGREGATE = new SchemaFile("schema/machine-aggregate.schema.json");
    public static final SchemaFile LINE_OEE = new SchemaFile("schema/line-oee.schema.json");
    public static final SchemaFile MACHINE_TWIN = new SchemaFile("schema/machine-twin.schema.json");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String resource;
    private final JsonSchema schema;

    private SchemaFile(String resource) {
        this.resource = resource;
        try (InputStream in = SchemaFile.class.getClassLoader().getResourceAsStream(resource)) {
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The document, parsed, after asserting it is valid. */
    public JsonNode valid(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            Set<ValidationMessage> errors = schema.validate(node);
            assertEquals(Set.of(), errors, "event violates " + resource + ": " + json);
            return node;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** What the schema says is wrong with a document; empty when it is valid. */
    public Set<ValidationMessage> problems(JsonNode document) {
        return schema.validate(document);
    }
}
