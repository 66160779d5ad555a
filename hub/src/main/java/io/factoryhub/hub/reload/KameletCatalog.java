package io.factoryhub.hub.reload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The kamelets a Pipe may bind: {@code <name>.kamelet.yaml} in the kamelets folder, then on the classpath
 * under {@code kamelets/} (where Apache's catalog jar keeps them). Read fresh each time: a kamelet file
 * dropped in or edited while the hub runs is seen by the next validation and translation.
 */
public final class KameletCatalog {

    private static final String SUFFIX = ".kamelet.yaml";

    private final Path kameletsDir;

    public KameletCatalog(Path kameletsDir) {
        this.kameletsDir = kameletsDir;
    }

    public Optional<Kamelet> find(String name) {
        Path file = kameletsDir.resolve(name + SUFFIX);
        try {
            if (Files.isRegularFile(file)) {
                try (InputStream in = Files.newInputStream(file)) {
                    return Optional.of(parse(name, in, file.toString()));
                }
            }
            try (InputStream in = KameletCatalog.class.getClassLoader().getResourceAsStream("kamelets/" + name + SUFFIX)) {
                return in == null ? Optional.empty() : Optional.of(parse(name, in, "classpath:kamelets/" + name + SUFFIX));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kamelet " + name, e);
        }
    }

    public Path directory() {
        return kameletsDir;
    }

    /** The kamelet a file of the kamelets folder holds, by its name; null for other files. */
    public static String nameOf(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.endsWith(SUFFIX) ? fileName.substring(0, fileName.length() - SUFFIX.length()) : null;
    }

    private static Kamelet parse(String name, InputStream in, String location) {
        Object root = new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        return new Kamelet(name, text(root, "metadata", "labels", "camel.apache.org/kamelet.type"),
                map(root, "spec", "definition"), map(root, "spec", "template"), location);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object root, String... keys) {
        return path(root, keys) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static String text(Object root, String... keys) {
        Object value = path(root, keys);
        return value == null ? null : value.toString();
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
