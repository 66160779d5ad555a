package io.factoryhub.hub.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
