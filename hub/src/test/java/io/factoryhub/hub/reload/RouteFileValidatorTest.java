package io.factoryhub.hub.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.hub.config.HubConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every YAML file the repo ships is valid; each kind of mistake is named with file, line and property. */
class RouteFileValidatorTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final DefaultCamelContext CONTEXT = new DefaultCamelContext();

    static {
        // values are checked resolved, with the hub's settings, as at reload
        CONTEXT.getPropertiesComponent().setInitialProperties(HubConfig.defaults().asProperties());
    }
    private final RouteFileValidator validator = new RouteFileValidator(new KameletCatalog(REPO.resolve("kamelets")), CONTEXT);

    @AfterAll
    static void closeContext() throws Exception {
        CONTEXT.close();
    }

    @Test
    void should_accept_every_route_and_connector_in_the_repo() throws IOException {
        int checked = 0;
        for (String dir : List.of("routes", "connectors")) {
            try (Stream<Path> files = Files.list(REPO.resolve(dir))) {
                for (Path file : files.toList()) {
                    assertEquals(List.of(), validator.validate(file, Files.readString(file)), file.toString());
                    checked++;
                }
            }
        }
        assertTrue(checked >= 4, "routes and connectors found: " + checked);
    }

    @Test
    void should_name_line_of_invalid_yaml() {
        List<ValidationProblem> problems = validate("broken.pipe.yaml", "kind: Pipe\nspec:\n  source: [\n");
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().startsWith("invalid YAML"), problems.toString());
        assertTrue(problems.get(0).line() >= 3, problems.toString());
    }

    @Test
    void should_refuse_unknown_kamelet_with_its_line() {
        ValidationProblem problem = single(validate("x.pipe.yaml", pipe("mqtt6-source", "      brokerUrl: tcp://h:1\n")));
        assertEquals("spec.source.ref.name", problem.property());
        assertEquals(7, problem.line());
        assertTrue(problem.message().contains("unknown kamelet 'mqtt6-source'"), problem.message());
    }

    @Test
    void should_refuse_missing_required_property() {
        ValidationProblem problem = single(validate("x.pipe.yaml", pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n")));
        assertEquals("topic", problem.property());
        assertTrue(problem.message().contains("required by kamelet 'mqtt5-source'"), problem.message());
    }

    @Test
    void should_refuse_unknown_property_at_its_line() {
        ValidationProblem problem = single(validate("x.pipe.yaml",
                pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: a/b\n      qoss: 1\n")));
        assertEquals("qoss", problem.property());
        assertEquals(11, problem.line());
    }

    @Test
    void should_refuse_unknown_endpoint_option_in_a_route() {
        String route = "- route:\n    id: r\n    from:\n      uri: timer:tick\n      parameters:\n        period: 1000\n        perod: 5\n"
                + "      steps:\n        - to: \"log:x?showAll=true&colour=red\"\n";
        List<ValidationProblem> problems = validate("r.camel.yaml", route);
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("perod", problems.get(0).property());
        assertEquals(7, problems.get(0).line());
        assertEquals("colour", problems.get(1).property());
        assertEquals(9, problems.get(1).line());
    }

    @Test
    void should_refuse_a_pipe_camel_would_silently_ignore() {
        ValidationProblem problem = single(validate("x.pipe.yaml",
                pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: a/b\n").replace("apiVersion: camel.apache.org/v1\nkind", "apiVersion: camel.apache.org/v2\nkind")));
        assertEquals("apiVersion", problem.property());
    }

    @Test
    void should_refuse_unknown_component() {
        ValidationProblem problem = single(validate("r.camel.yaml", "- route:\n    from:\n      uri: nosuch:thing\n      steps: []\n"));
        assertTrue(problem.message().contains("unknown component 'nosuch'"), problem.message());
        assertEquals(3, problem.line());
    }

    @Test
    void should_refuse_a_value_outside_the_kamelets_enum_at_its_line() {
        String pipe = pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: a/b\n").replace("  sink:\n",
                "  steps:\n    - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}\n"
                        + "      properties:\n        format: xml\n  sink:\n");
        ValidationProblem problem = single(validate("x.pipe.yaml", pipe));
        assertEquals("format", problem.property());
        assertEquals(14, problem.line());
        assertTrue(problem.message().contains("'xml'") && problem.message().contains("[\"json\", \"csv\", \"opcua\"]"), problem.message());
    }

    @Test
    void should_refuse_a_value_of_the_wrong_type_and_accept_text_that_reads_as_the_type() {
        ValidationProblem problem = single(validate("x.pipe.yaml",
                pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: a/b\n      qos: one\n")));
        assertEquals("qos", problem.property());
        assertEquals(11, problem.line());
        assertTrue(problem.message().contains("'one'") && problem.message().contains("integer"), problem.message());
        assertEquals(List.of(), validate("x.pipe.yaml",
                pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: a/b\n      qos: \"1\"\n      cleanStart: \"false\"\n")));
    }

    @Test
    void should_check_a_value_resolved_from_the_hubs_settings() {
        ValidationProblem problem = single(validate("x.pipe.yaml",
                pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: a/b\n      qos: \"{{factory.site}}\"\n")));
        assertTrue(problem.message().contains("'plant-a'"), problem.message());
        ValidationProblem unknown = single(validate("x.pipe.yaml",
                pipe("mqtt5-source", "      brokerUrl: \"{{factory.mqtt.broker-uri}}\"\n      topic: a/b\n")));
        assertEquals("brokerUrl", unknown.property());
        assertTrue(unknown.message().contains("factory.mqtt.broker-uri"), unknown.message());
    }

    @Test
    void should_recognise_a_pipe_from_the_parsed_document_not_its_text() {
        ValidationProblem problem = single(validate("x.pipe.yaml",
                pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      qoss: 1\n      topic: a/b\n").replace("kind: Pipe", "kind: \"Pipe\"")));
        assertEquals("qoss", problem.property());
    }

    @Test
    void should_check_kamelet_properties_given_in_a_kamelet_uri() {
        ValidationProblem problem = single(validate("r.camel.yaml", "- route:\n    from:\n      uri: timer:t\n      steps:\n"
                + "        - to: \"kamelet:telemetry-normalize-action?format=xml\"\n"));
        assertEquals("format", problem.property());
        assertEquals(5, problem.line());
    }

    @Test
    void should_refuse_a_route_the_yaml_dsl_schema_refuses_at_its_line() {
        String route = "- route:\n    id: r\n    from:\n      uri: timer:tick\n      steps:\n        - setHeader:\n"
                + "            name: a\n            constant: b\n        - sentTo: log:x\n";
        List<ValidationProblem> problems = validate("r.camel.yaml", route);
        assertTrue(!problems.isEmpty(), "a misspelt EIP is refused");
        assertTrue(problems.stream().anyMatch(p -> p.line() == 9 && p.message().contains("sentTo")), problems.toString());
    }

    @Test
    void should_refuse_a_shared_subscription_without_group_or_filter() {
        for (String topic : List.of("$share/hubs", "$share//a/b", "$share/h+/a")) {
            ValidationProblem problem = single(validate("x.pipe.yaml", pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: \"" + topic + "\"\n")));
            assertEquals("topic", problem.property(), topic);
            assertTrue(problem.message().contains("pattern") && problem.message().contains("shared subscription"), problem.message());
        }
        assertEquals(List.of(), validate("x.pipe.yaml", pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: \"$share/hubs/plant-a/+/+\"\n")));
        assertEquals(List.of(), validate("x.pipe.yaml", pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: \"$SYS/broker/#\"\n")));
    }

    @Test
    void should_refuse_pipe_features_the_hub_does_not_run() {
        ValidationProblem problem = single(validate("x.pipe.yaml", pipe("mqtt5-source", "      brokerUrl: tcp://h:1\n      topic: a/b\n")
                .replace("spec:\n", "spec:\n  errorHandler:\n    log: {}\n")));
        assertEquals("spec.errorHandler", problem.property());
        assertEquals(6, problem.line());
    }

    private static String pipe(String source, String properties) {
        return "apiVersion: camel.apache.org/v1\nkind: Pipe\nmetadata:\n  name: x\nspec:\n  source:\n"
                + "    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: " + source + "}\n"
                + "    properties:\n" + properties
                + "  sink:\n    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: factory-kafka-sink}\n";
    }

    private List<ValidationProblem> validate(String name, String content) {
        return validator.validate(Path.of("connectors", name), content);
    }

    private static ValidationProblem single(List<ValidationProblem> problems) {
        assertEquals(1, problems.size(), problems.toString());
        return problems.get(0);
    }
}
