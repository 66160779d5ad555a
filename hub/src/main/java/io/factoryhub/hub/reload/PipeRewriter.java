package io.factoryhub.hub.reload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Prepares a Pipe for Camel 4.17, which turns Pipe properties into a kamelet URI with URL-encoded values and
 * hands them to the kamelet still encoded ({@code tcp://h:1883} arrives as {@code tcp%3A%2F%2Fh%3A1883}; seen here).
 * Each property value is therefore wrapped in {@code RAW(...)}, which Camel passes through verbatim, after its
 * {@code {{key}}} placeholders are resolved from the hub's configuration (inside RAW they would not be).
 *
 * <p>Each kamelet of the Pipe also gets a route id of its own ({@code <pipe>-source}, {@code <pipe>-step-N},
 * {@code <pipe>-sink}): otherwise Camel shares one route between Pipes that bind the same kamelet with the same
 * properties, and swapping one Pipe's routes would stop the others' sink.
 */
final class PipeRewriter {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\?)?([\\w.\\-]+)}}");

    private PipeRewriter() {
    }

    static boolean isPipe(String content) {
        return content.contains("kind: Pipe") || content.contains("kind: KameletBinding");
    }

    @SuppressWarnings("unchecked")
    static String rewrite(CamelContext context, String content) {
        List<Object> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(content).forEach(documents::add);
        for (Object document : documents) {
            if (document instanceof Map<?, ?> pipe && pipe.get("spec") instanceof Map<?, ?> spec) {
                String name = pipe.get("metadata") instanceof Map<?, ?> metadata ? String.valueOf(metadata.get("name")) : "pipe";
                rewriteEndpoint(context, spec.get("source"), name + "-source");
                rewriteEndpoint(context, spec.get("sink"), name + "-sink");
                if (spec.get("steps") instanceof List<?> steps) {
                    for (int i = 0; i < steps.size(); i++) {
                        rewriteEndpoint(context, steps.get(i), name + "-step-" + i);
                    }
                }
            }
        }
        return new Dump(DumpSettings.builder().build()).dumpAllToString(documents.iterator());
    }

    @SuppressWarnings("unchecked")
    private static void rewriteEndpoint(CamelContext context, Object endpoint, String routeId) {
        if (!(endpoint instanceof Map<?, ?> map)) {
            return;
        }
        Map<Object, Object> properties = map.get("properties") instanceof Map<?, ?> existing
                ? (Map<Object, Object>) existing : new java.util.LinkedHashMap<>();
        properties.replaceAll((key, value) -> raw(resolve(context, String.valueOf(value))));
        if (map.containsKey("ref")) {
            properties.put("routeId", routeId);
            ((Map<Object, Object>) map).put("properties", properties);
        }
    }

    private static String raw(String value) {
        return value.contains(")") ? "RAW{" + value + "}" : "RAW(" + value + ")";
    }

    /** Known keys are replaced; unknown ones stay, so Camel names them when it fails. */
    static String resolve(CamelContext context, String value) {
        Matcher matcher = PLACEHOLDER.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (matcher.find()) {
            Optional<String> found = context.getPropertiesComponent().resolveProperty(matcher.group(2));
            String replacement = found.orElse(matcher.group(1) != null ? "" : matcher.group(0));
            matcher.appendReplacement(resolved, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(resolved);
        return resolved.toString();
    }
}
