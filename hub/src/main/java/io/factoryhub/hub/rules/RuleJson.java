package io.factoryhub.hub.rules;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a rule document: the one place that says what a rule is. A rule file is this document in YAML, the control
 * topic carries it as JSON; both come here as a tree, so a file and a record are refused for the same reasons.
 */
public final class RuleJson {

    public static final String API_VERSION = "factory-hub/v1";
    public static final String KIND = "Rule";
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern STATE = Pattern.compile("[A-Z][A-Z0-9_]*");
    // at most 9 digits: no overflow, and still years of hours
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h)");
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> SPEC = Set.of("machines", "group", "weight", "state", "when", "context");
    private static final Set<String> CONDITION = Set.of("tag", "op", "value", "for");

    private RuleJson() {
    }

    public static Rule read(JsonNode document) throws RuleException {
        if (document == null || !document.isObject()) {
            throw new RuleException("", "a rule is a mapping with apiVersion, kind, metadata and spec");
        }
        known(document, "", TOP);
        if (!API_VERSION.equals(document.path("apiVersion").asText())) {
            throw new RuleException("/apiVersion", "must be '" + API_VERSION + "'");
        }
        if (!KIND.equals(document.path("kind").asText())) {
            throw new RuleException("/kind", "must be '" + KIND + "'");
        }
        String name = text(document.path("metadata"), "/metadata/name", true);
        if (!NAME.matcher(name).matches()) {
            throw new RuleException("/metadata/name", "'" + name + "' is not a name: lower-case letters, digits and '-'");
        }
        JsonNode spec = document.path("spec");
        if (!spec.isObject()) {
            throw new RuleException("/spec", "required: the rule's machines, group, weight, state and when");
        }
        known(spec, "/spec", SPEC);
        Pattern machines = machines(spec.path("machines"));
        String group = text(spec, "/spec/group", true);
        int weight = weight(spec.path("weight"));
        String state = text(spec, "/spec/state", true);
        if (!STATE.matcher(state).matches() || state.equals(Rule.ACTIVE) || state.equals(Rule.OFFLINE)) {
            throw new RuleException("/spec/state", "'" + state + "' is not a state a rule reports: upper case (WARNING, "
                    + "ALARM, ...), and not ACTIVE or OFFLINE, which the hub itself reports");
        }
        JsonNode when = spec.path("when");
        boolean all = when.has("all");
        if (!when.isObject() || when.size() != 1 || !(all || when.has("any"))) {
            throw new RuleException("/spec/when", "one of 'all' or 'any', with a list of conditions");
        }
        Rule.Match match = all ? Rule.Match.ALL : Rule.Match.ANY;
        String listPath = "/spec/when/" + (all ? "all" : "any");
        JsonNode list = when.path(all ? "all" : "any");
        if (!list.isArray() || list.isEmpty()) {
            throw new RuleException(listPath, "a list of at least one condition {tag, op, value, for}");
        }
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            conditions.add(condition(list.get(i), listPath + "/" + i));
        }
        return new Rule(name, machines, group, weight, state, match, conditions, context(spec.path("context")));
    }

    /** The rule's name, where a document too broken to read still says it (to log which record is refused). */
    public static String nameOf(JsonNode document) {
        return document == null ? "" : document.path("metadata").path("name").asText("");
    }

    private static Condition condition(JsonNode node, String path) throws RuleException {
        if (!node.isObject()) {
            throw new RuleException(path, "a condition is a mapping {tag, op, value, for}");
        }
        known(node, path, CONDITION);
        String tag = text(node, path + "/tag", true);
        String symbol = text(node, path + "/op", true);
        Condition.Operator op = Condition.Operator.of(symbol);
        if (op == null) {
            throw new RuleException(path + "/op", "'" + symbol + "' is not one of >, >=, <, <=, ==, !=");
        }
        JsonNode value = node.path("value");
        if (!value.isNumber()) {
            throw new RuleException(path + "/value", value.isMissingNode() ? "required: the number to compare with"
                    : "'" + value.asText() + "' is not a number");
        }
        Duration holdFor = node.has("for") ? duration(node.path("for"), path + "/for") : Duration.ZERO;
        return new Condition(tag, op, value.asDouble(), holdFor);
    }

    private static Duration duration(JsonNode node, String path) throws RuleException {
        Matcher m = DURATION.matcher(node.asText());
        if (!node.isTextual() || !m.matches()) {
            throw new RuleException(path, "'" + node.asText() + "' is not a duration such as 500ms, 30s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    private static Pattern machines(JsonNode node) throws RuleException {
        if (node.isMissingNode()) {
            return Pattern.compile(".*");
        }
        if (!node.isTextual()) {
            throw new RuleException("/spec/machines", "a regular expression over machineId, as a text (e.g. \"press-.*\")");
        }
        try {
            return Pattern.compile(node.asText());
        } catch (PatternSyntaxException e) {
            throw new RuleException("/spec/machines", "'" + node.asText() + "' is not a regular expression: "
                    + e.getDescription());
        }
    }

    private static int weight(JsonNode node) throws RuleException {
        if (node.isMissingNode()) {
            return 0;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new RuleException("/spec/weight", "'" + node.asText() + "' is not a whole number");
        }
        return node.asInt();
    }

    private static Map<String, String> context(JsonNode node) throws RuleException {
        Map<String, String> context = new LinkedHashMap<>();
        if (node.isMissingNode()) {
            return context;
        }
        if (!node.isObject()) {
            throw new RuleException("/spec/context", "a mapping of MES context fields to values, e.g. {product_code: BRK-220}");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new RuleException("/spec/context/" + field.getKey(), "a single value (text, number or true/false)");
            }
            context.put(field.getKey(), field.getValue().asText());
        }
        return context;
    }

    private static String text(JsonNode parent, String path, boolean required) throws RuleException {
        String field = path.substring(path.lastIndexOf('/') + 1);
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                throw new RuleException(path, "required");
            }
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            // a number or true/false is refused rather than read as text, as the schema does (rule.schema.json)
            throw new RuleException(path, node.isValueNode() && !node.asText().isBlank()
                    ? "'" + node.asText() + "' is not a text: quote it" : "a non-empty text");
        }
        return node.asText();
    }

    private static void known(JsonNode node, String path, Set<String> names) throws RuleException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!names.contains(name)) {
                throw new RuleException(path + "/" + name, "unknown property (known: " + String.join(", ",
                        new java.util.TreeSet<>(names)) + ")");
            }
        }
    }
}
