package io.factoryhub.hub.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Checks a route file against the Camel YAML DSL's own JSON schema ({@code schema/camelYamlDsl.json} in
 * camel-yaml-dsl, the one the Camel tooling and editors use), so a misspelt EIP or a step in the wrong place is
 * refused before anything of the file loads, with the line it is on.
 */
final class CamelYamlDslSchema {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RESOURCE = "schema/camelYamlDsl.json";
    private static volatile JsonSchema schema;

    private CamelYamlDslSchema() {
    }

    static List<ValidationProblem> check(Path file, Node document) {
        JsonNode routes = JSON.valueToTree(construct(document));
        List<ValidationProblem> problems = new ArrayList<>();
        Set<ValidationMessage> messages = schema().validate(routes);
        messages.stream()
                // of the alternatives a oneOf/anyOf reports, the deepest location says best what is wrong
                .sorted(Comparator.comparingInt((ValidationMessage m) -> -m.getInstanceLocation().getNameCount()))
                .limit(3)
                .forEach(message -> problems.add(problem(file, document, message)));
        return problems;
    }

    private static ValidationProblem problem(Path file, Node document, ValidationMessage message) {
        JsonNodePath location = message.getInstanceLocation();
        Node at = document;
        StringBuilder property = new StringBuilder();
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            Node next = element instanceof Integer index
                    ? (at instanceof SequenceNode sequence && index < sequence.getValue().size() ? sequence.getValue().get(index) : null)
                    : YamlNodes.child(at, String.valueOf(element)).orElse(null);
            if (next == null) {
                break;
            }
            at = next;
            if (!(element instanceof Integer)) {
                property.append(property.length() == 0 ? "" : ".").append(element);
            }
        }
        if (message.getProperty() != null) {
            Node named = YamlNodes.key(at, message.getProperty()).orElse(null);
            at = named == null ? at : named;
            property.append(property.length() == 0 ? "" : ".").append(message.getProperty());
        }
        String text = message.getMessage();
        String prefix = message.getInstanceLocation() + ": ";
        String reason = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
        return new ValidationProblem(file, YamlNodes.line(at), property.length() == 0 ? null : property.toString(),
                reason + " (Camel YAML DSL schema)");
    }

    private static Object construct(Node document) {
        return new StandardConstructor(LoadSettings.builder().build()).constructSingleDocument(java.util.Optional.of(document));
    }

    private static JsonSchema schema() {
        if (schema == null) {
            synchronized (CamelYamlDslSchema.class) {
                if (schema == null) {
                    try (InputStream in = CamelYamlDslSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException(RESOURCE + " not on the classpath (camel-yaml-dsl)");
                        }
                        schema = Draft4Schemas.FACTORY.getSchema(in, SchemaValidatorsConfig.builder().build());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return schema;
    }
}
