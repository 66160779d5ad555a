package io.factoryhub.hub.reload;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Checks a routes/ or connectors/ file before anything of it is loaded: YAML syntax; a route file against the Camel
 * YAML DSL's JSON schema; a Pipe's structure, kamelets that exist and properties that satisfy each kamelet's
 * JSON schema ({@link KameletProperties}); endpoint options the component knows. Every problem names file, line and
 * property; reload and {@code validate} use this one class, so they say the same.
 */
public final class RouteFileValidator {

    private static final Set<String> PIPE_SPEC_KEYS = Set.of("source", "steps", "sink");
    private static final Set<String> ENDPOINT_KEYS = Set.of("from", "to", "wireTap", "enrich", "pollEnrich");

    private final KameletCatalog kamelets;
    private final EndpointChecker endpoints;
    private final KameletProperties kameletProperties;

    /** @param context resolves the hub's placeholders in property values, so it needs the hub's configuration */
    public RouteFileValidator(KameletCatalog kamelets, CamelContext context) {
        this.kamelets = kamelets;
        this.endpoints = new EndpointChecker(context);
        this.kameletProperties = new KameletProperties(context);
    }

    public KameletCatalog kamelets() {
        return kamelets;
    }

    public List<ValidationProblem> validate(Path file, String content) {
        List<ValidationProblem> problems = new ArrayList<>();
        List<Node> documents = new ArrayList<>();
        try {
            new Compose(LoadSettings.builder().setLabel(file.toString()).build())
                    .composeAllFromString(content).forEach(documents::add);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            problems.add(new ValidationProblem(file, line, null, "invalid YAML: " + e.getProblem()));
            return problems;
        } catch (RuntimeException e) {
            problems.add(new ValidationProblem(file, 0, null, "invalid YAML: " + e.getMessage()));
            return problems;
        }
        if (documents.isEmpty()) {
            problems.add(new ValidationProblem(file, 1, null, "file is empty"));
        }
        for (Node document : documents) {
            if (document instanceof MappingNode) {
                validatePipe(file, document, problems);
            } else if (document instanceof SequenceNode) {
                List<ValidationProblem> schemaProblems = CamelYamlDslSchema.check(file, document);
                problems.addAll(schemaProblems);
                if (schemaProblems.isEmpty()) {
                    walkRoutes(file, document, problems);
                }
            } else {
                problems.add(new ValidationProblem(file, YamlNodes.line(document), null,
                        "expected a list of routes or a Pipe (kind: Pipe)"));
            }
        }
        return problems;
    }

    private void validatePipe(Path file, Node pipe, List<ValidationProblem> problems) {
        String kind = YamlNodes.text(pipe, "kind").orElse(null);
        if (!PipeDocument.KINDS.contains(kind)) {
            problems.add(new ValidationProblem(file, YamlNodes.line(pipe), "kind",
                    "expected 'Pipe', got '" + kind + "'"));
            return;
        }
        String apiVersion = YamlNodes.text(pipe, "apiVersion").orElse(null);
        if (!PipeDocument.API_VERSIONS.contains(apiVersion)) {
            problems.add(new ValidationProblem(file, YamlNodes.line(pipe), "apiVersion",
                    "expected 'camel.apache.org/v1', got '" + apiVersion + "'"));
        }
        if (YamlNodes.child(pipe, "metadata").flatMap(m -> YamlNodes.text(m, "name")).isEmpty()) {
            problems.add(new ValidationProblem(file, YamlNodes.line(pipe), "metadata.name", "missing: the connector needs a name"));
        }
        Optional<Node> spec = YamlNodes.child(pipe, "spec");
        if (spec.isEmpty()) {
            problems.add(new ValidationProblem(file, YamlNodes.line(pipe), "spec", "missing"));
            return;
        }
        if (spec.get() instanceof MappingNode entries) {
            for (NodeTuple entry : entries.getValue()) {
                String key = entry.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
                if (!PIPE_SPEC_KEYS.contains(key)) {
                    // silently ignoring an errorHandler or replicas would promise what does not happen
                    problems.add(new ValidationProblem(file, YamlNodes.line(entry.getKeyNode()), "spec." + key,
                            "not supported by factory-hub (a Pipe has source, steps and sink; bad input goes to the dead-letter topic)"));
                }
            }
        }
        for (String part : List.of("source", "sink")) {
            Optional<Node> endpoint = YamlNodes.child(spec.get(), part);
            if (endpoint.isEmpty()) {
                problems.add(new ValidationProblem(file, YamlNodes.line(spec.get()), "spec." + part, "missing"));
            } else {
                validatePipeEndpoint(file, "spec." + part, endpoint.get(), problems);
            }
        }
        Optional<Node> steps = YamlNodes.child(spec.get(), "steps");
        if (steps.isPresent() && steps.get() instanceof SequenceNode sequence) {
            for (int i = 0; i < sequence.getValue().size(); i++) {
                validatePipeEndpoint(file, "spec.steps[" + i + "]", sequence.getValue().get(i), problems);
            }
        }
    }

    private void validatePipeEndpoint(Path file, String where, Node endpoint, List<ValidationProblem> problems) {
        Map<String, ScalarNode> properties = scalarEntries(YamlNodes.child(endpoint, "properties").orElse(null));
        Optional<Node> ref = YamlNodes.child(endpoint, "ref");
        Optional<String> uri = YamlNodes.text(endpoint, "uri");
        if (ref.isPresent()) {
            Node nameNode = YamlNodes.child(ref.get(), "name").orElse(ref.get());
            String name = YamlNodes.text(ref.get(), "name").orElse(null);
            String kind = YamlNodes.text(ref.get(), "kind").orElse("Kamelet");
            if (!kind.equals("Kamelet")) {
                problems.add(new ValidationProblem(file, YamlNodes.line(ref.get()), where + ".ref.kind",
                        "'" + kind + "' is not supported: refer to a Kamelet, or give an endpoint uri"));
                return;
            }
            if (name == null) {
                problems.add(new ValidationProblem(file, YamlNodes.line(ref.get()), where + ".ref.name", "missing kamelet name"));
                return;
            }
            checkKameletProperties(file, where, name, YamlNodes.line(nameNode), properties, problems);
        } else if (uri.isPresent()) {
            checkEndpoint(file, uri.get(), endpoint, properties, problems);
        } else {
            problems.add(new ValidationProblem(file, YamlNodes.line(endpoint), where, "needs either ref (a kamelet) or uri"));
        }
    }

    private void checkKameletProperties(Path file, String where, String name, int line,
                                        Map<String, ScalarNode> properties, List<ValidationProblem> problems) {
        Optional<Kamelet> kamelet = kamelets.find(name);
        if (kamelet.isEmpty()) {
            problems.add(new ValidationProblem(file, line, where + ".ref.name",
                    "unknown kamelet '" + name + "' (no " + name + ".kamelet.yaml in " + kamelets.directory() + " or on the classpath)"));
            return;
        }
        problems.addAll(kameletProperties.check(file, line, kamelet.get(), properties));
    }

    /** Route files: every endpoint found anywhere in the tree is checked. */
    private void walkRoutes(Path file, Node node, List<ValidationProblem> problems) {
        if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(child -> walkRoutes(file, child, problems));
        } else if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "";
                Node value = tuple.getValueNode();
                if (ENDPOINT_KEYS.contains(key) && value instanceof ScalarNode scalar) {
                    checkEndpoint(file, scalar.getValue(), scalar, Map.of(), problems);
                } else if (ENDPOINT_KEYS.contains(key) && YamlNodes.text(value, "uri").isPresent()) {
                    Map<String, ScalarNode> parameters = scalarEntries(YamlNodes.child(value, "parameters").orElse(null));
                    checkEndpoint(file, YamlNodes.text(value, "uri").get(), value, parameters, problems);
                }
                walkRoutes(file, value, problems);
            }
        }
    }

    private void checkEndpoint(Path file, String uri, Node node, Map<String, ScalarNode> parameters,
                               List<ValidationProblem> problems) {
        int line = YamlNodes.line(node);
        if (uri.startsWith("kamelet:")) {
            String name = uri.substring("kamelet:".length()).split("[/?]")[0];
            if (!name.equals("source") && !name.equals("sink")) {
                Map<String, ScalarNode> properties = new LinkedHashMap<>();
                EndpointChecker.queryOptions(uri).forEach((key, value) -> properties.put(key, YamlNodes.scalarAt(value, node)));
                properties.putAll(parameters);
                checkKameletProperties(file, "uri", name, line, properties, problems);
            }
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        parameters.forEach((key, value) -> values.put(key, value.getValue()));
        for (EndpointChecker.Finding finding : endpoints.check(uri, values)) {
            ScalarNode at = finding.option() == null ? null : parameters.get(finding.option());
            problems.add(new ValidationProblem(file, at == null ? line : YamlNodes.line(at), finding.option(), finding.message()));
        }
    }

    private static Map<String, ScalarNode> scalarEntries(Node node) {
        Map<String, ScalarNode> entries = new LinkedHashMap<>();
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    Node value = tuple.getValueNode();
                    entries.put(key.getValue(), value instanceof ScalarNode scalar ? scalar : key);
                }
            }
        }
        return entries;
    }
}
