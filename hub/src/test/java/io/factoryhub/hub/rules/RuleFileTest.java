package io.factoryhub.hub.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A rule file is read through RuleJson, and each refusal names file, line and property. */
class RuleFileTest {

    private static final Path FILE = Path.of("rules/press-overheating.rule.yaml");
    private static final String RULE = """
            apiVersion: factory-hub/v1
            kind: Rule
            metadata: {name: press-overheating}
            spec:
              machines: "press-.*"
              group: thermal
              weight: 10
              state: WARNING
              when:
                all:
                  - {tag: temperature, op: ">", value: 80, for: 5m}
                  - {tag: vibration, op: ">=", value: 6.0}
              context: {product_code: "BRK-220"}
            """;

    @Test
    void should_read_the_issues_example() throws Exception {
        RuleFile file = RuleFile.parse(FILE, RULE);
        Rule rule = file.rule();
        assertEquals("press-overheating", rule.name());
        assertEquals("press-.*", rule.machines().pattern());
        assertEquals("thermal", rule.group());
        assertEquals(10, rule.weight());
        assertEquals("WARNING", rule.state());
        assertEquals(Rule.Match.ALL, rule.match());
        assertEquals(List.of(new Condition("temperature", Condition.Operator.GT, 80, Duration.ofMinutes(5)),
                new Condition("vibration", Condition.Operator.GE, 6.0, Duration.ZERO)), rule.conditions());
        assertEquals(Map.of("product_code", "BRK-220"), rule.context());
    }

    @Test
    void should_give_the_document_as_the_json_the_control_topic_carries() throws Exception {
        assertEquals("{\"apiVersion\":\"factory-hub/v1\",\"kind\":\"Rule\",\"metadata\":{\"name\":\"press-overheating\"},"
                        + "\"spec\":{\"machines\":\"press-.*\",\"group\":\"thermal\",\"weight\":10,\"state\":\"WARNING\","
                        + "\"when\":{\"all\":[{\"tag\":\"temperature\",\"op\":\">\",\"value\":80,\"for\":\"5m\"},"
                        + "{\"tag\":\"vibration\",\"op\":\">=\",\"value\":6.0}]},\"context\":{\"product_code\":\"BRK-220\"}}}",
                RuleFile.parse(FILE, RULE).document().toString());
    }

    @Test
    void should_default_machines_weight_and_duration() throws Exception {
        Rule rule = RuleFile.parse(Path.of("hot.rule.yaml"), """
                apiVersion: factory-hub/v1
                kind: Rule
                metadata: {name: hot}
                spec:
                  group: thermal
                  state: WARNING
                  when:
                    any:
                      - {tag: temperature, op: ">", value: 80}
                """).rule();
        assertEquals(".*", rule.machines().pattern());
        assertEquals(0, rule.weight());
        assertEquals(Rule.Match.ANY, rule.match());
        assertEquals(Duration.ZERO, rule.conditions().get(0).holdFor());
        assertEquals(Map.of(), rule.context());
    }

    @Test
    void should_name_the_line_of_a_bad_operator_in_a_list() {
        assertRefused(RULE.replace("op: \">=\"", "op: \"=>\""),
                "rules/press-overheating.rule.yaml:12: property 'spec.when.all[1].op': '=>' is not one of >, >=, <, <=, ==, !=");
    }

    @Test
    void should_name_the_key_of_an_unknown_property() {
        assertRefused(RULE.replace("  weight: 10\n", "  weigth: 10\n"),
                "rules/press-overheating.rule.yaml:7: property 'spec.weigth': unknown property (known: context, group, "
                        + "machines, state, weight, when)");
    }

    @Test
    void should_name_the_line_holding_a_missing_property() {
        assertRefused(RULE.replace("  group: thermal\n", ""),
                "rules/press-overheating.rule.yaml:4: property 'spec.group': required");
    }

    @Test
    void should_refuse_a_value_that_is_not_a_number() {
        assertRefused(RULE.replace("value: 80,", "value: \"80\","),
                "rules/press-overheating.rule.yaml:11: property 'spec.when.all[0].value': '80' is not a number");
    }

    @Test
    void should_refuse_a_bad_duration() {
        assertRefused(RULE.replace("for: 5m", "for: 5min"),
                "rules/press-overheating.rule.yaml:11: property 'spec.when.all[0].for': '5min' is not a duration such as "
                        + "500ms, 30s, 5m or 1h");
    }

    @Test
    void should_refuse_a_state_the_hub_reports_itself() {
        assertRefused(RULE.replace("state: WARNING", "state: OFFLINE"), "rules/press-overheating.rule.yaml:8: property "
                + "'spec.state': 'OFFLINE' is not a state a rule reports: upper case (WARNING, ALARM, ...), and not ACTIVE "
                + "or OFFLINE, which the hub itself reports");
    }

    @Test
    void should_refuse_a_number_where_a_text_belongs() {
        assertRefused(RULE.replace("group: thermal", "group: 7"),
                "rules/press-overheating.rule.yaml:6: property 'spec.group': '7' is not a text: quote it");
    }

    @Test
    void should_refuse_a_name_other_than_the_files() {
        assertRefused(RULE.replace("{name: press-overheating}", "{name: press-hot}"),
                "rules/press-overheating.rule.yaml:3: property 'metadata.name': 'press-hot' is not the file's name: "
                        + "name the file press-hot.rule.yaml, or the rule press-overheating");
    }

    @Test
    void should_refuse_another_kind_of_document() {
        assertRefused(RULE.replace("kind: Rule", "kind: Pipe"),
                "rules/press-overheating.rule.yaml:2: property 'kind': must be 'Rule'");
    }

    @Test
    void should_name_the_line_of_invalid_yaml() {
        assertRefused(RULE.replace("state: WARNING", "state: [WARNING"), "rules/press-overheating.rule.yaml:9: invalid YAML: "
                + "expected ',' or ']'");
    }

    @Test
    void should_refuse_an_unknown_yaml_tag() {
        assertRefused(RULE.replace("group: thermal", "group: !include thermal.yaml"),
                "rules/press-overheating.rule.yaml:6: invalid YAML: could not determine a constructor for the tag !include");
    }

    @Test
    void should_refuse_two_rules_in_one_file() {
        assertRefused(RULE + "---\n" + RULE, "rules/press-overheating.rule.yaml:15: one rule per file (this is a second document)");
    }

    @Test
    void should_refuse_an_empty_file() {
        assertRefused("# nothing yet\n", "rules/press-overheating.rule.yaml:1: file is empty: a rule is a mapping with "
                + "apiVersion, kind, metadata and spec");
    }

    @Test
    void should_refuse_a_yaml_file_not_named_as_a_rule() {
        InvalidRuleFile refused = assertThrows(InvalidRuleFile.class, () -> RuleFile.parse(Path.of("rules/hot.yaml"), RULE));
        assertEquals("rules/hot.yaml: not a rule file: a rule is a file <metadata.name>.rule.yaml", refused.getMessage());
    }

    private static void assertRefused(String content, String message) {
        InvalidRuleFile refused = assertThrows(InvalidRuleFile.class, () -> RuleFile.parse(FILE, content));
        assertEquals(message, refused.getMessage().startsWith(message) ? message : refused.getMessage());
    }
}
