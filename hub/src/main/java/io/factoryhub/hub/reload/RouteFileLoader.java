package io.factoryhub.hub.reload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads each routes/ or connectors/ file on its own and swaps exactly that file's routes when it changes:
 * validate first, then stop and remove the file's routes (a Pipe's one route and its template beans, or the
 * routes a route file and its kamelet URIs created), then add the new version. If the new version fails to start,
 * its leftovers are removed and the previous version is put back, so a bad edit never takes down what ran before —
 * unlike Camel's built-in reload. A kamelet edited while the hub runs reloads every file that uses it.
 */
public final class RouteFileLoader {

    /** Outcome of one load: what runs now, or why the file was refused. */
    public record Result(Path file, boolean loaded, Set<String> routeIds, List<ValidationProblem> problems) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileLoader.class);
    private static final Pattern UNKNOWN_PARAMETER = Pattern.compile("Unknown parameters=\\[\\{(\\w+)=");
    private static final long STOP_TIMEOUT_SECONDS = 30;
    // block style, and every shared step written out in full: a kamelet:sink inside a choice repeats what follows
    private static final Dump ROUTES_YAML = new Dump(DumpSettings.builder().setDereferenceAliases(true).build());

    private final CamelContext context;
    private final RouteFileValidator validator;
    private final PipeTranslator translator;
    private final TemplateBeans templateBeans;
    private final Map<Path, LoadedFile> loaded = new ConcurrentHashMap<>();

    private record LoadedFile(String content, Set<String> routeIds, List<PipeTranslator.TemplateBean> beans, Set<String> kamelets) {
    }

    public RouteFileLoader(CamelContext context, RouteFileValidator validator) {
        this.context = context;
        this.validator = validator;
        this.translator = new PipeTranslator(validator.kamelets());
        this.templateBeans = new TemplateBeans(context);
    }

    /** Loads or reloads a file; synchronized so two changes never interleave their swaps. */
    public synchronized Result load(Path file) {
        return load(file, false);
    }

    /**
     * Reloads every file that uses the kamelet, as if it had changed: Camel's kamelet component keeps a template it
     * read, so that is dropped first for {@code kamelet:} URIs in route files.
     */
    public synchronized void kameletChanged(String kamelet) {
        removeRouteTemplate(kamelet);
        for (Map.Entry<Path, LoadedFile> entry : Map.copyOf(loaded).entrySet()) {
            if (entry.getValue().kamelets().contains(kamelet)) {
                LOG.info("Kamelet {} changed: reloading {}", kamelet, entry.getKey());
                load(entry.getKey(), true);
            }
        }
    }

    private Result load(Path file, boolean force) {
        String content;
        try {
            content = Files.readString(file);
        } catch (IOException e) {
            return refused(file, List.of(new ValidationProblem(file, 0, null, "cannot read: " + e.getMessage())));
        }
        LoadedFile previous = loaded.get(file);
        if (!force && previous != null && previous.content().equals(content)) {
            return new Result(file, true, previous.routeIds(), List.of());
        }
        List<ValidationProblem> problems = validator.validate(file, content);
        if (!problems.isEmpty()) {
            return refused(file, problems);
        }
        if (previous != null) {
            remove(previous);
        }
        try {
            LoadedFile added = addRoutes(file, content);
            loaded.put(file, added);
            LOG.info("{} {}: routes {}", previous == null ? "Loaded" : "Reloaded", file, added.routeIds());
            return new Result(file, true, added.routeIds(), List.of());
        } catch (Exception e) {
            List<ValidationProblem> startProblems = List.of(describe(file, content, e));
            if (previous != null) {
                restore(file, previous);
            }
            return refused(file, startProblems);
        }
    }

    /** Stops and removes everything a file added; used when the file is deleted. */
    public synchronized void unload(Path file) {
        LoadedFile previous = loaded.remove(file);
        if (previous != null) {
            remove(previous);
            LOG.info("Removed {}: routes {} stopped", file, previous.routeIds());
        }
    }

    public Set<Path> loadedFiles() {
        return Set.copyOf(loaded.keySet());
    }

    private LoadedFile addRoutes(Path file, String content) throws Exception {
        Set<String> before = routeIds();
        List<Object> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(content).forEach(documents::add);
        boolean pipes = !documents.isEmpty() && PipeDocument.asPipe(documents.get(0)).isPresent();
        List<PipeTranslator.TemplateBean> beans = List.of();
        Set<String> kamelets;
        String loadable = content;
        try {
            if (pipes) {
                PipeTranslator.Translation translation = translator.translate(documents);
                beans = translation.beans();
                kamelets = translation.kamelets();
                templateBeans.bind(beans);
                loadable = ROUTES_YAML.dumpToString(translation.routes());
                LOG.debug("{} as a route:\n{}", file, loadable);
            } else {
                kamelets = KameletUris.in(documents);
            }
            PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("file:" + file.toAbsolutePath(), loadable));
        } catch (Exception e) {
            removeRoutes(added(before));
            templateBeans.unbind(beans);
            throw e;
        }
        return new LoadedFile(content, added(before), beans, kamelets);
    }

    private void remove(LoadedFile file) {
        removeRoutes(file.routeIds());
        templateBeans.unbind(file.beans());
    }

    private void removeRouteTemplate(String kamelet) {
        if (context instanceof org.apache.camel.model.ModelCamelContext model) {
            try {
                model.removeRouteTemplateDefinitions(kamelet);
            } catch (Exception e) {
                LOG.warn("Could not drop the template of kamelet {}: {}", kamelet, e.getMessage());
            }
        }
    }

    private void restore(Path file, LoadedFile previous) {
        try {
            LoadedFile restored = addRoutes(file, previous.content());
            loaded.put(file, restored);
            LOG.warn("Kept the previous version of {} running: routes {}", file, restored.routeIds());
        } catch (Exception e) {
            loaded.remove(file);
            LOG.error("The previous version of {} could not be restarted either: {}", file, e.getMessage());
        }
    }

    private Set<String> added(Set<String> before) {
        Set<String> after = routeIds();
        after.removeAll(before);
        return after;
    }

    private Set<String> routeIds() {
        return context.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Consumers of the outside world stop first so nothing new enters while the inner routes drain. */
    private void removeRoutes(Set<String> ids) {
        List<Route> routes = innerRoutesFirst(ids);
        java.util.Collections.reverse(routes);
        for (Route route : routes) {
            try {
                context.getRouteController().stopRoute(route.getRouteId(), STOP_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                context.removeRoute(route.getRouteId());
                context.removeEndpoint(route.getEndpoint());
                removeDefinition(route.getRouteId());
            } catch (Exception e) {
                LOG.warn("Could not remove route {}: {}", route.getRouteId(), e.getMessage());
            }
        }
        removeKameletEndpoints(ids);
    }

    /** The model keeps a removed route's definition; a kamelet route re-created under the same id would be skipped. */
    private void removeDefinition(String routeId) throws Exception {
        if (context instanceof org.apache.camel.model.ModelCamelContext model) {
            org.apache.camel.model.RouteDefinition definition = model.getRouteDefinition(routeId);
            if (definition != null) {
                model.removeRouteDefinition(definition);
            }
        }
    }

    /**
     * Kamelet endpoints stay cached in the context after their routes are gone; a new version of the file with the
     * same URI would then reuse the cached endpoint and its kamelet route would never be created again.
     */
    private void removeKameletEndpoints(Set<String> removedRouteIds) {
        for (org.apache.camel.Endpoint endpoint : List.copyOf(context.getEndpoints())) {
            String uri = endpoint.getEndpointUri();
            if (uri.startsWith("kamelet:") && removedRouteIds.stream().anyMatch(id -> uri.contains("routeId=" + id))) {
                try {
                    context.removeEndpoint(endpoint);
                } catch (Exception e) {
                    LOG.warn("Could not remove endpoint {}: {}", uri, e.getMessage());
                }
            }
        }
    }

    private List<Route> innerRoutesFirst(Set<String> ids) {
        List<Route> routes = new ArrayList<>();
        for (String id : ids) {
            Route route = context.getRoute(id);
            if (route != null) {
                routes.add(route);
            }
        }
        routes.sort(Comparator.comparing(route -> isInternal(route) ? 0 : 1));
        return routes;
    }

    private static boolean isInternal(Route route) {
        String uri = route.getEndpoint().getEndpointUri();
        return uri.startsWith("kamelet:") || uri.startsWith("direct:") || uri.startsWith("seda:");
    }

    private Result refused(Path file, List<ValidationProblem> problems) {
        problems.forEach(problem -> LOG.error("Refused {}", problem));
        if (loaded.containsKey(file)) {
            LOG.warn("{}: the previous version keeps running", file);
        }
        return new Result(file, false, loaded.containsKey(file) ? loaded.get(file).routeIds() : Set.of(), problems);
    }

    /** Turns a start failure into a problem that names the option and, if found in the file, its line. */
    private static ValidationProblem describe(Path file, String content, Exception e) {
        Throwable root = e;
        StringBuilder message = new StringBuilder();
        while (root != null) {
            if (root.getMessage() != null && message.indexOf(root.getMessage()) < 0) {
                message.append(message.length() == 0 ? "" : " <- ").append(root.getMessage());
            }
            root = root.getCause();
        }
        Matcher unknown = UNKNOWN_PARAMETER.matcher(message);
        String property = unknown.find() ? unknown.group(1) : null;
        return new ValidationProblem(file, property == null ? 0 : lineOf(content, property), property,
                "failed to start: " + message);
    }

    private static int lineOf(String content, String key) {
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String trimmed = lines[i].trim();
            if (trimmed.startsWith(key + ":") || trimmed.contains("?" + key + "=") || trimmed.contains("&" + key + "=")) {
                return i + 1;
            }
        }
        return 0;
    }
}
