package io.factoryhub.hub.reload;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a Pipe into one Camel route (id = {@code metadata.name}): the source kamelet's endpoint, then the steps of
 * every kamelet it binds, inlined where the previous one sends to {@code kamelet:sink} (or after it, for actions),
 * down to the sink's endpoint. Camel itself would run a route per kamelet and hop between them through
 * {@code kamelet:} endpoints, each hop with its own unit of work (the README's ingest profile); it also deprecates Pipe
 * files in its YAML DSL (CAMEL-24807), which the hub thereby no longer depends on.
 *
 * <p>Kamelet semantics kept: a property takes the Pipe's value or its declared default; {@code {{routeId}}} is the
 * Pipe's name and {@code {{templateId}}} the kamelet's; a template bean becomes a bean of its own per Pipe and part
 * ({@code <pipe>.<part>.<bean>}); an optional placeholder ({@code {{?name}}}) left unset drops the endpoint
 * parameter, URI option or bean property it fills, and is empty elsewhere. Placeholders that are not the kamelet's
 * ({@code {{factory.site}}}) stay for Camel to resolve. Checks of property values are {@link KameletProperties}'s.
 */
final class PipeTranslator {

    /** What a Pipe file becomes: its routes as YAML DSL structures, the beans they reference, the kamelets used. */
    record Translation(List<Map<String, Object>> routes, List<TemplateBean> beans, Set<String> kamelets) {
    }

    /** A template bean for one Pipe: its unique registry name, class and (unresolved) properties. */
    record TemplateBean(String name, String type, Map<String, String> properties) {
    }

    /** A Pipe the translator cannot turn into a route; {@code where} is the part of the Pipe at fault. */
    static final class PipeException extends RuntimeException {
        private final String where;

        PipeException(String where, String message) {
            super(message);
            this.where = where;
        }

        String where() {
            return where;
        }
    }

    private static final String KAMELET_SINK = "kamelet:sink";

    private final KameletCatalog catalog;

    PipeTranslator(KameletCatalog catalog) {
        this.catalog = catalog;
    }

    /** Every Pipe of a file (YAML documents as loaded) into its route. */
    Translation translate(List<?> documents) {
        List<Map<String, Object>> routes = new ArrayList<>();
        List<TemplateBean> beans = new ArrayList<>();
        Set<String> kamelets = new LinkedHashSet<>();
        for (Object document : documents) {
            Map<?, ?> pipe = PipeDocument.asPipe(document)
                    .orElseThrow(() -> new PipeException("kind", "not a Pipe (kind: Pipe or KameletBinding)"));
            String name = PipeDocument.name(pipe);
            List<Part> parts = parts(name, PipeDocument.spec(pipe));
            parts.forEach(part -> {
                if (part.kamelet() != null) {
                    kamelets.add(part.kamelet().name());
                    beans.addAll(part.beans());
                }
            });
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("id", name);
            route.put("from", parts.get(0).from(inline(parts, 1)));
            routes.add(Map.of("route", route));
        }
        return new Translation(routes, beans, kamelets);
    }

    private List<Part> parts(String pipe, Map<?, ?> spec) {
        List<Part> parts = new ArrayList<>();
        parts.add(part(pipe, "source", "spec.source", spec.get("source")));
        if (spec.get("steps") instanceof List<?> steps) {
            for (int i = 0; i < steps.size(); i++) {
                parts.add(part(pipe, "step-" + i, "spec.steps[" + i + "]", steps.get(i)));
            }
        }
        parts.add(part(pipe, "sink", "spec.sink", spec.get("sink")));
        return parts;
    }

    private Part part(String pipe, String label, String where, Object endpoint) {
        if (!(endpoint instanceof Map<?, ?> map)) {
            throw new PipeException(where, "missing");
        }
        Map<String, String> properties = new LinkedHashMap<>();
        if (map.get("properties") instanceof Map<?, ?> given) {
            given.forEach((key, value) -> properties.put(String.valueOf(key), value == null ? "" : String.valueOf(value)));
        }
        if (map.get("ref") instanceof Map<?, ?> ref) {
            String name = String.valueOf(ref.get("name"));
            Kamelet kamelet = catalog.find(name).orElseThrow(() -> new PipeException(where + ".ref.name", "unknown kamelet '" + name + "'"));
            return new Part(where, kamelet, null, new Bindings(kamelet, properties, pipe, pipe + "." + label));
        }
        if (map.get("uri") != null) {
            return new Part(where, null, String.valueOf(map.get("uri")), new Bindings(null, properties, pipe, pipe + "." + label));
        }
        throw new PipeException(where, "needs either ref (a kamelet) or uri");
    }

    /** The steps parts[index..] run, in place of the previous part's {@code kamelet:sink}. */
    private static List<Object> inline(List<Part> parts, int index) {
        if (index >= parts.size()) {
            return List.of();
        }
        Part part = parts.get(index);
        List<Object> downstream = inline(parts, index + 1);
        if (part.kamelet() == null) {
            List<Object> steps = new ArrayList<>();
            steps.add(Map.of("to", part.endpoint()));
            steps.addAll(downstream);
            return steps;
        }
        Map<?, ?> from = part.templateFrom();
        if (!"kamelet:source".equals(String.valueOf(from.get("uri")))) {
            throw new PipeException(part.where(), "kamelet '" + part.kamelet().name()
                    + "' is not an action or sink: its template starts from '" + from.get("uri") + "', not kamelet:source");
        }
        Inliner inliner = new Inliner(part.bindings(), downstream);
        List<Object> steps = inliner.steps(from.get("steps"));
        if (!inliner.sentDownstream()) {
            steps.addAll(downstream);
        }
        return steps;
    }

    /** One end or step of a Pipe: a kamelet with its properties, or a plain endpoint URI with parameters. */
    private record Part(String where, Kamelet kamelet, String uri, Bindings bindings) {

        Map<?, ?> templateFrom() {
            if (!(kamelet.template().get("from") instanceof Map<?, ?> from)) {
                throw new PipeException(where, "kamelet '" + kamelet.name() + "' has no spec.template.from");
            }
            return from;
        }

        Map<String, Object> endpoint() {
            Map<String, Object> to = new LinkedHashMap<>();
            to.put("uri", uri);
            if (!bindings.given().isEmpty()) {
                to.put("parameters", new LinkedHashMap<>(bindings.given()));
            }
            return to;
        }

        /** The route's {@code from}, with the rest of the Pipe where the source sends to kamelet:sink. */
        Map<String, Object> from(List<Object> downstream) {
            if (kamelet == null) {
                Map<String, Object> from = endpoint();
                from.put("steps", downstream);
                return from;
            }
            Map<?, ?> template = templateFrom();
            Inliner inliner = new Inliner(bindings, downstream);
            Map<String, Object> from = new LinkedHashMap<>();
            from.put("uri", inliner.uri(String.valueOf(template.get("uri"))));
            if (template.get("parameters") instanceof Map<?, ?> parameters) {
                from.put("parameters", inliner.optionalEntries(parameters));
            }
            from.put("steps", inliner.steps(template.get("steps")));
            if (!inliner.sentDownstream()) {
                throw new PipeException(where, "kamelet '" + kamelet.name() + "' never sends to kamelet:sink: it is not a source");
            }
            return from;
        }

        List<TemplateBean> beans() {
            List<TemplateBean> beans = new ArrayList<>();
            if (kamelet.template().get("beans") instanceof List<?> declared) {
                Inliner inliner = new Inliner(bindings, List.of());
                for (Object item : declared) {
                    if (!(item instanceof Map<?, ?> bean) || bean.get("name") == null || bean.get("type") == null) {
                        throw new PipeException(where, "kamelet '" + kamelet.name() + "': a template bean needs name and type"
                                + " (script beans are not supported)");
                    }
                    Map<String, String> properties = new LinkedHashMap<>();
                    if (bean.get("properties") instanceof Map<?, ?> given) {
                        inliner.optionalEntries(given).forEach((key, value) -> properties.put(key, String.valueOf(value)));
                    }
                    String type = String.valueOf(bean.get("type"));
                    beans.add(new TemplateBean(bindings.beanName(String.valueOf(bean.get("name"))),
                            type.startsWith("#class:") ? type.substring("#class:".length()) : type, properties));
                }
            }
            return beans;
        }
    }

    /** Deep-copies template nodes with the part's bindings applied and kamelet:sink replaced by what follows. */
    private static final class Inliner {
        private final Bindings bindings;
        private final List<Object> downstream;
        private boolean sentDownstream;

        Inliner(Bindings bindings, List<Object> downstream) {
            this.bindings = bindings;
            this.downstream = downstream;
        }

        boolean sentDownstream() {
            return sentDownstream;
        }

        List<Object> steps(Object steps) {
            List<Object> copy = new ArrayList<>();
            if (steps instanceof List<?> list) {
                for (Object step : list) {
                    if (isSendToSink(step)) {
                        sentDownstream = true;
                        copy.addAll(downstream);
                    } else {
                        copy.add(node(step));
                    }
                }
            }
            return copy;
        }

        private Object node(Object node) {
            if (node instanceof Map<?, ?> map) {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((key, value) -> {
                    String name = String.valueOf(key);
                    if (name.equals("steps") && value instanceof List<?>) {
                        copy.put(name, steps(value));
                    } else if (name.equals("parameters") && value instanceof Map<?, ?> parameters) {
                        copy.put(name, optionalEntries(parameters));
                    } else if (name.equals("uri") && value instanceof String uri) {
                        copy.put(name, uri(uri));
                    } else {
                        copy.put(name, node(value));
                    }
                });
                return copy;
            }
            if (node instanceof List<?> list) {
                return list.stream().map(this::node).toList();
            }
            return node instanceof String text ? bindings.apply(text) : node;
        }

        /** Entries whose whole value is an unset optional placeholder are left out, as Camel does with them. */
        Map<String, Object> optionalEntries(Map<?, ?> entries) {
            Map<String, Object> copy = new LinkedHashMap<>();
            entries.forEach((key, value) -> {
                if (!(value instanceof String text && bindings.isUnsetOptional(text))) {
                    copy.put(String.valueOf(key), node(value));
                }
            });
            return copy;
        }

        /** URI options set by an unset optional placeholder are left out. */
        String uri(String uri) {
            int question = uri.indexOf('?');
            if (question < 0) {
                return bindings.apply(uri);
            }
            List<String> options = new ArrayList<>();
            for (String option : uri.substring(question + 1).split("&")) {
                int equals = option.indexOf('=');
                if (!option.isEmpty() && !(equals > 0 && bindings.isUnsetOptional(option.substring(equals + 1)))) {
                    options.add(bindings.apply(option));
                }
            }
            String path = bindings.apply(uri.substring(0, question));
            return options.isEmpty() ? path : path + "?" + String.join("&", options);
        }

        private static boolean isSendToSink(Object step) {
            if (step instanceof Map<?, ?> map && map.size() == 1 && map.get("to") != null) {
                Object to = map.get("to");
                String uri = to instanceof Map<?, ?> endpoint ? String.valueOf(endpoint.get("uri")) : String.valueOf(to);
                return uri.equals(KAMELET_SINK) || uri.startsWith(KAMELET_SINK + "?");
            }
            return false;
        }
    }
}
