package io.factoryhub.hub.reload;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A kamelet as the catalog read it: the JSON schema of its properties ({@code spec.definition}), its template and
 * the beans the template declares, as plain YAML maps.
 *
 * @param name       {@code metadata.name}
 * @param type       source, action or sink ({@code camel.apache.org/kamelet.type}); null when the label is missing
 * @param definition {@code spec.definition}, a JSON schema (draft 4 as Camel K writes it) of the properties
 * @param template   {@code spec.template}
 * @param location   where it was read from, for messages
 */
public record Kamelet(String name, String type, Map<String, Object> definition, Map<String, Object> template,
                      String location) {

    public Set<String> properties() {
        return definition.get("properties") instanceof Map<?, ?> properties
                ? Set.copyOf(properties.keySet().stream().map(String::valueOf).toList()) : Set.of();
    }

    public List<String> required() {
        return definition.get("required") instanceof List<?> required ? required.stream().map(String::valueOf).toList() : List.of();
    }

    /** The property's declared default as text, or null. */
    public String defaultOf(String property) {
        if (definition.get("properties") instanceof Map<?, ?> properties
                && properties.get(property) instanceof Map<?, ?> schema && schema.get("default") != null) {
            return String.valueOf(schema.get("default"));
        }
        return null;
    }

    /** The property's declared JSON type (string, integer, number, boolean), or null. */
    public String typeOf(String property) {
        return attribute(property, "type");
    }

    /** The property's description, or null. */
    public String descriptionOf(String property) {
        return attribute(property, "description");
    }

    private String attribute(String property, String name) {
        if (definition.get("properties") instanceof Map<?, ?> properties
                && properties.get(property) instanceof Map<?, ?> schema && schema.get(name) != null) {
            return String.valueOf(schema.get(name));
        }
        return null;
    }
}
