package io.factoryhub.hub.kamelets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The rules of Apache's kamelet catalog, one method per rule, applied to every kamelet we ship (no exemptions). */
class KameletCatalogRulesTest {

    static Stream<Path> kamelets() throws IOException {
        return Files.list(Path.of("..", "kamelets")).filter(f -> f.toString().endsWith(".kamelet.yaml")).sorted();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) throws IOException {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> map, String... keys) {
        Map<String, Object> current = map;
        for (String key : keys) {
            current = (Map<String, Object>) current.get(key);
        }
        return current;
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    void file_name_matches_metadata_name(Path file) throws IOException {
        String name = (String) at(load(file), "metadata").get("name");
        assertEquals(name + ".kamelet.yaml", file.getFileName().toString());
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    void type_label_matches_name_suffix(Path file) throws IOException {
        Map<String, Object> kamelet = load(file);
        String type = (String) at(kamelet, "metadata", "labels").get("camel.apache.org/kamelet.type");
        assertTrue(((String) at(kamelet, "metadata").get("name")).endsWith("-" + type), "type label " + type);
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    @SuppressWarnings("unchecked")
    void required_properties_are_declared(Path file) throws IOException {
        Map<String, Object> definition = at(load(file), "spec", "definition");
        Map<String, Object> properties = (Map<String, Object>) definition.get("properties");
        for (Object required : (List<Object>) definition.getOrDefault("required", List.of())) {
            assertTrue(properties.containsKey(required), "required '" + required + "' is declared");
        }
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    @SuppressWarnings("unchecked")
    void every_property_has_title_description_and_example_or_default(Path file) throws IOException {
        Map<String, Object> properties = (Map<String, Object>) at(load(file), "spec", "definition").get("properties");
        properties.forEach((name, value) -> {
            Map<String, Object> property = (Map<String, Object>) value;
            assertTrue(property.containsKey("title"), name + " has a title");
            assertTrue(property.containsKey("description"), name + " has a description");
            assertTrue(property.containsKey("example") || property.containsKey("default"),
                    name + " has an example or a default");
        });
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    @SuppressWarnings("unchecked")
    void every_declared_property_is_used_in_the_template(Path file) throws IOException {
        Map<String, Object> spec = at(load(file), "spec");
        String template = new Dump(DumpSettings.builder().build()).dumpToString(spec.get("template"));
        ((Map<String, Object>) ((Map<String, Object>) spec.get("definition")).get("properties")).keySet().forEach(name ->
                assertTrue(template.contains("{{" + name + "}}") || template.contains("{{?" + name + "}}"), name + " is used"));
    }

    @ParameterizedTest
    @MethodSource("kamelets")
    @SuppressWarnings("unchecked")
    void secrets_are_marked_as_passwords_and_credentials(Path file) throws IOException {
        Map<String, Object> properties = (Map<String, Object>) at(load(file), "spec", "definition").get("properties");
        properties.forEach((name, value) -> {
            Map<String, Object> property = (Map<String, Object>) value;
            if (name.toLowerCase().contains("password") || name.toLowerCase().contains("secret")) {
                assertEquals("password", property.get("format"), name + " has format: password");
                assertTrue(String.valueOf(property.get("x-descriptors")).contains("urn:camel:group:credentials"), name);
            }
            assertFalse(String.valueOf(property.get("default")).toLowerCase().contains("secret"), name + " has no secret default");
        });
    }
}
