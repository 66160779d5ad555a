package io.factoryhub.hub.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.hub.reload.FileStamps;
import io.factoryhub.hub.reload.ValidationProblem;
import io.factoryhub.hub.reload.YamlNodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.constructor.StandardConstructor;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A rule file, {@code rules/<name>.rule.yaml}: its YAML turned into the JSON tree {@link RuleJson} reads (the one
 * reader, so a file and a control-topic record are refused for the same reasons), and a refusal placed on the line
 * of the property at fault, which is why the YAML is composed as a node tree (it keeps the marks) before it is
 * constructed. The publisher and {@code validate} both read files here, so they say the same.
 *
 * @param document the rule as JSON, what goes on the control topic
 */
public record RuleFile(Path file, JsonNode document, Rule rule) {

    public static final String SUFFIX = ".rule.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every YAML file of a rules directory: the ones not named {@code *.rule.yaml} are there to be refused. */
    public static List<Path> in(Path directory) {
        return FileStamps.yamlFiles(directory);
    }

    public static RuleFile read(Path file) throws InvalidRuleFile {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw refused(file, 0, null, "cannot read: " + e.getMessage());
        }
    }

    public static RuleFile parse(Path file, String content) throws InvalidRuleFile {
        String fileName = file.getFileName().toString();
        if (!fileName.endsWith(SUFFIX)) {
            throw refused(file, 0, null, "not a rule file: a rule is a file <metadata.name>" + SUFFIX);
        }
        Node yaml = singleDocument(file, content);
        JsonNode document = json(file, yaml);
        Rule rule;
        try {
            rule = RuleJson.read(document);
        } catch (RuleException e) {
            throw refused(file, line(yaml, e.path()), e.property().isEmpty() ? null : e.property(), e.getMessage());
        }
        String stem = fileName.substring(0, fileName.length() - SUFFIX.length());
        if (!rule.name().equals(stem)) {
            throw refused(file, line(yaml, "/metadata/name"), "metadata.name", "'" + rule.name()
                    + "' is not the file's name: name the file " + rule.name() + SUFFIX + ", or the rule " + stem);
        }
        return new RuleFile(file, document, rule);
    }

    private static Node singleDocument(Path file, String content) throws InvalidRuleFile {
        List<Node> documents = new ArrayList<>();
        try {
            new Compose(LoadSettings.builder().setLabel(file.toString()).build())
                    .composeAllFromString(content).forEach(documents::add);
        } catch (MarkedYamlEngineException e) {
            throw invalidYaml(file, e);
        } catch (YamlEngineException e) {
            throw refused(file, 0, null, "invalid YAML: " + e.getMessage());
        }
        if (documents.isEmpty()) {
            throw refused(file, 1, null, "file is empty: a rule is a mapping with apiVersion, kind, metadata and spec");
        }
        if (documents.size() > 1) {
            throw refused(file, YamlNodes.line(documents.get(1)), null, "one rule per file (this is a second document)");
        }
        return documents.get(0);
    }

    private static JsonNode json(Path file, Node yaml) throws InvalidRuleFile {
        try {
            return JSON.valueToTree(new StandardConstructor(LoadSettings.builder().build()).constructSingleDocument(Optional.of(yaml)));
        } catch (MarkedYamlEngineException e) {
            throw invalidYaml(file, e); // an unknown tag, e.g. !include
        } catch (RuntimeException e) {
            throw refused(file, YamlNodes.line(yaml), null, "invalid YAML: " + e.getMessage());
        }
    }

    /**
     * The line of the JSON pointer's node: a property's key (where a misspelt or wrong one is), a list's item; for a
     * property that is missing, the line of the one that should hold it.
     */
    static int line(Node document, String pointer) {
        Node at = document;
        int line = YamlNodes.line(document);
        for (String segment : pointer.split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            Optional<Node> key = YamlNodes.key(at, segment);
            if (key.isPresent()) {
                line = YamlNodes.line(key.get());
                at = YamlNodes.child(at, segment).orElseThrow();
            } else if (at instanceof SequenceNode list && segment.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(segment) < list.getValue().size()) {
                at = list.getValue().get(Integer.parseInt(segment));
                line = YamlNodes.line(at);
            } else {
                break;
            }
        }
        return line;
    }

    private static InvalidRuleFile invalidYaml(Path file, MarkedYamlEngineException e) {
        return refused(file, e.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0), null, "invalid YAML: " + e.getProblem());
    }

    private static InvalidRuleFile refused(Path file, int line, String property, String message) {
        return new InvalidRuleFile(new ValidationProblem(file, line, property, message));
    }
}
