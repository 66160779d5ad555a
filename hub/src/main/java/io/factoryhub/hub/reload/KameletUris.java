package io.factoryhub.hub.reload;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The kamelets a route file names in {@code kamelet:<name>} endpoint URIs, found in its parsed documents. */
final class KameletUris {

    private static final String SCHEME = "kamelet:";

    private KameletUris() {
    }

    static Set<String> in(List<Object> documents) {
        Set<String> names = new LinkedHashSet<>();
        documents.forEach(document -> collect(document, names));
        names.remove("source");
        names.remove("sink");
        return names;
    }

    private static void collect(Object node, Set<String> names) {
        if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> collect(value, names));
        } else if (node instanceof List<?> list) {
            list.forEach(item -> collect(item, names));
        } else if (node instanceof String text && text.startsWith(SCHEME)) {
            names.add(text.substring(SCHEME.length()).split("[/?]")[0]);
        }
    }
}
