package io.factoryhub.hub.reload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The kamelets a Pipe may bind: {@code <name>.kamelet.yaml} in the kamelets folder, then on the classpath
 * under {@code kamelets/} (where Apache's catalog jar keeps them). Read fresh each time: a kamelet file
 * dropped in while the hub runs is seen by the next validation.
 */
public final class KameletCatalog {

    /** What a Pipe needs to know of a kamelet: its declared and its required properties. */
    public record Definition(String name, Set<String> properties, Set<String> required) {
    }

    private final Path kameletsDir;

    public KameletCatalog(Path kameletsDir) {
        this.kameletsDir = kameletsDir;
    }

    public Optional<Definition> find(String name) {
        Path file = kameletsDir.resolve(name + ".kamelet.yaml");
        try {
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return Optional.of(parse(name, in));
                }
            }
            try (InputStream in = KameletCatalog.class.getClassLoader().getResourceAsStream("kamelets/" + name + ".kamelet.yaml")) {
                return in == null ? Optional.empty() : Optional.of(parse(name, in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kamelet " + name, e);
        }
    }

    public Path directory() {
        return kameletsDir;
    }

    @SuppressWarnings("unchecked")
    private static Definition parse(String name, InputStream in) {
        Object root = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        Map<String, Object> definition = (Map<String, Object>) path(root, "spec", "definition");
        Set<String> properties = new LinkedHashSet<>();
        Set<String> required = new LinkedHashSet<>();
        if (definition != null) {
            Object props = definition.get("properties");
            if (props instanceof Map<?, ?> map) {
                map.keySet().forEach(key -> properties.add(key.toString()));
            }
            Object req = definition.get("required");
            if (req instanceof List<?> list) {
                list.forEach(item -> required.add(item.toString()));
            }
        }
        return new Definition(name, properties, required);
    }

    private static Object path(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }
}
