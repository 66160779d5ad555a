package io.factoryhub.hub.reload;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What makes a YAML document a Pipe, read from the parsed document (not its text: {@code kind: "Pipe"} is one too). */
final class PipeDocument {

    static final Set<String> KINDS = Set.of("Pipe", "KameletBinding");
    static final Set<String> API_VERSIONS = Set.of("camel.apache.org/v1", "camel.apache.org/v1alpha1");

    private PipeDocument() {
    }

    static Optional<Map<?, ?>> asPipe(Object document) {
        return document instanceof Map<?, ?> map && KINDS.contains(String.valueOf(map.get("kind")))
                ? Optional.of(map) : Optional.empty();
    }

    static String name(Map<?, ?> pipe) {
        return pipe.get("metadata") instanceof Map<?, ?> metadata && metadata.get("name") != null
                ? String.valueOf(metadata.get("name")) : null;
    }

    static Map<?, ?> spec(Map<?, ?> pipe) {
        return pipe.get("spec") instanceof Map<?, ?> spec ? spec : Map.of();
    }
}
