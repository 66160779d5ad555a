package io.factoryhub.hub.reload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Checks the properties a Pipe (or a {@code kamelet:} URI) gives a kamelet against the kamelet's own JSON schema,
 * {@code spec.definition}: declared names only, required ones present, and each value of its type, in its enum,
 * matching its pattern. Values are checked as the route will see them: the hub's placeholders resolved, and text
 * that reads as the declared type ({@code "1"} for an integer) taken as that type, as Camel's conversion would.
 */
final class KameletProperties {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(false).build();

    private final CamelContext context;

    KameletProperties(CamelContext context) {
        this.context = context;
    }

    /**
     * @param line       where the kamelet is named, for problems of the whole set (a required property missing)
     * @param properties the properties given, each with its node (for its line)
     */
    List<ValidationProblem> check(Path file, int line, Kamelet kamelet, Map<String, ScalarNode> properties) {
        List<ValidationProblem> problems = new ArrayList<>();
        ObjectNode values = JSON.createObjectNode();
        Set<String> unresolved = new HashSet<>();
        for (Map.Entry<String, ScalarNode> property : properties.entrySet()) {
            String text = property.getValue().getValue();
            try {
                values.set(property.getKey(), typed(context.resolvePropertyPlaceholders(text), kamelet.typeOf(property.getKey())));
            } catch (RuntimeException e) {
                unresolved.add(property.getKey());
                values.put(property.getKey(), text);
                problems.add(new ValidationProblem(file, YamlNodes.line(property.getValue()), property.getKey(),
                        "cannot resolve '" + text + "': " + e.getMessage()));
            }
        }
        for (ValidationMessage message : schema(kamelet).validate(values)) {
            String property = propertyOf(message);
            if (unresolved.contains(property)) {
                continue; // said above; its value is not known
            }
            ScalarNode at = property == null ? null : properties.get(property);
            problems.add(new ValidationProblem(file, at == null ? line : YamlNodes.line(at), property, describe(kamelet, message, values)));
        }
        return problems;
    }

    private JsonSchema schema(Kamelet kamelet) {
        ObjectNode schema = JSON.valueToTree(kamelet.definition());
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.remove("$schema");
        return Draft4Schemas.FACTORY.getSchema(schema, CONFIG);
    }

    private static JsonNode typed(String value, String type) {
        try {
            return switch (type == null ? "string" : type) {
                case "integer" -> JSON.getNodeFactory().numberNode(Long.parseLong(value.trim()));
                case "number" -> JSON.getNodeFactory().numberNode(Double.parseDouble(value.trim()));
                case "boolean" -> value.trim().equals("true") || value.trim().equals("false")
                        ? JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(value.trim())) : JSON.getNodeFactory().textNode(value);
                default -> JSON.getNodeFactory().textNode(value);
            };
        } catch (NumberFormatException e) {
            return JSON.getNodeFactory().textNode(value);
        }
    }

    private static String propertyOf(ValidationMessage message) {
        if (message.getProperty() != null) {
            return message.getProperty();
        }
        int count = message.getInstanceLocation().getNameCount();
        return count == 0 ? null : message.getInstanceLocation().getName(0);
    }

    private static String describe(Kamelet kamelet, ValidationMessage message, ObjectNode values) {
        String name = "kamelet '" + kamelet.name() + "'";
        return switch (message.getType()) {
            case "required" -> "required by " + name + " but not set";
            case "additionalProperties" -> "unknown property of " + name + " (known: " + String.join(", ", new java.util.TreeSet<>(kamelet.properties())) + ")";
            default -> {
                String text = message.getMessage();
                String prefix = message.getInstanceLocation() + ": ";
                String reason = text.startsWith(prefix) ? text.substring(prefix.length()) : text;
                JsonNode value = message.getInstanceNode() != null ? message.getInstanceNode() : values;
                // a regular expression says little to a plant engineer: the property's description says what is meant
                String hint = "pattern".equals(message.getType()) && kamelet.descriptionOf(propertyOf(message)) != null
                        ? ": " + kamelet.descriptionOf(propertyOf(message)) : "";
                yield "'" + value.asText() + "' " + reason + " (" + name + ")" + hint;
            }
        };
    }
}
