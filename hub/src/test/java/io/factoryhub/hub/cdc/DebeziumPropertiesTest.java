package io.factoryhub.hub.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.config.Field;
import io.debezium.connector.postgresql.PostgresConnectorConfig;
import java.io.Reader;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** cdc/debezium.properties uses only names Debezium knows: it ignores unknown ones silently, so a typo would go unseen. */
class DebeziumPropertiesTest {

    /** Settings Debezium hands to its JSON converters rather than declaring as fields. */
    private static final List<String> CONVERTER_PREFIXES = List.of("converter.", "key.converter.", "value.converter.");

    @Test
    void every_property_is_a_debezium_setting() throws Exception {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("..", "cdc", "debezium.properties"))) {
            properties.load(reader);
        }
        Set<String> known = new TreeSet<>(PostgresConnectorConfig.ALL_FIELDS.allFieldNames());
        for (java.lang.reflect.Field constant : io.debezium.embedded.EmbeddedEngineConfig.class.getFields()) {
            if (Modifier.isStatic(constant.getModifiers()) && constant.getType() == Field.class) {
                known.add(((Field) constant.get(null)).name());
            }
        }
        Set<String> unknown = new TreeSet<>();
        for (String name : properties.stringPropertyNames()) {
            if (!known.contains(name) && CONVERTER_PREFIXES.stream().noneMatch(name::startsWith)) {
                unknown.add(name);
            }
        }
        assertEquals(Set.of(), unknown, "unknown to Debezium 3.4 PostgresConnector and embedded engine");
        assertTrue(properties.containsKey("connector.class") && properties.containsKey("plugin.name"), "connector chosen");
    }
}
