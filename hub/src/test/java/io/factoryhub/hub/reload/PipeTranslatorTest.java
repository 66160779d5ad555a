package io.factoryhub.hub.reload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.hub.config.HubConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** A Pipe becomes one route with its kamelets inlined, and keeps the kamelets' semantics. */
class PipeTranslatorTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private final KameletCatalog catalog = new KameletCatalog(REPO.resolve("kamelets"));
    private final List<Exchange> out = new CopyOnWriteArrayList<>();
    private final List<Exchange> deadLetters = new CopyOnWriteArrayList<>();
    private DefaultCamelContext context;
    private RouteFileLoader loader;

    @BeforeEach
    void startContext() throws Exception {
        context = new DefaultCamelContext();
        context.getPropertiesComponent().setInitialProperties(HubConfig.defaults().asProperties());
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:out").routeId("capture-out").process(out::add);
                from("direct:factory-deadletter").routeId("capture-deadletter").process(deadLetters::add);
            }
        });
        context.start();
        loader = new RouteFileLoader(context, new RouteFileValidator(catalog, context));
    }

    @AfterEach
    void stopContext() throws Exception {
        context.close();
    }

    @Test
    void should_turn_each_shipped_connector_into_one_route_named_after_it() throws Exception {
        try (var files = Files.list(REPO.resolve("connectors"))) {
            for (Path file : files.toList()) {
                PipeTranslator.Translation translation = new PipeTranslator(catalog).translate(documents(Files.readString(file)));
                assertEquals(1, translation.routes().size(), file.toString());
                Map<?, ?> route = (Map<?, ?>) translation.routes().get(0).get("route");
                assertEquals(file.getFileName().toString().replace(".pipe.yaml", ""), route.get("id"));
                Map<?, ?> from = (Map<?, ?>) route.get("from");
                assertTrue(String.valueOf(from.get("uri")).matches("(paho-mqtt5|opcua-subscription):.+"), from.toString());
                List<?> steps = (List<?>) from.get("steps");
                assertEquals(Map.of("to", Map.of("uri", "factory-kafka:factory.machine.telemetry")), steps.get(steps.size() - 1),
                        "the sink kamelet's endpoint ends the route");
                assertFalse(String.valueOf(route).contains("kamelet:"), "no kamelet hop is left: " + route);
            }
        }
    }

    @Test
    void should_run_a_pipe_as_one_route_with_the_actions_bean_and_error_handling(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("norm.pipe.yaml");
        Files.writeString(file, """
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: norm
                spec:
                  source:
                    uri: direct:in
                  steps:
                    - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}
                      properties:
                        format: json
                        line: line-9
                  sink:
                    uri: direct:out
                """);
        RouteFileLoader.Result result = loader.load(file);
        assertTrue(result.loaded(), result.problems().toString());
        assertEquals(List.of("norm"), List.copyOf(result.routeIds()));
        assertEquals(3, context.getRoutes().size(), "the Pipe's route and the two capture routes");

        context.createProducerTemplate().sendBodyAndHeader("direct:in", "{\"machineId\":\"press-9\",\"tag\":\"vibration\",\"value\":2.5}",
                "CamelMqttTopic", "plant-a/line-9/press-9/vibration");
        context.createProducerTemplate().sendBody("direct:in", "not json");

        assertEquals(1, out.size());
        assertEquals("press-9", out.get(0).getMessage().getHeader("kafka.KEY"));
        assertEquals("norm", out.get(0).getMessage().getHeader("factory_connector"), "the connector defaults to the Pipe's name");
        assertTrue(out.get(0).getMessage().getBody(String.class).contains("\"line\":\"line-9\""), out.get(0).getMessage().getBody(String.class));
        assertEquals(1, deadLetters.size());
        assertEquals("not json", deadLetters.get(0).getMessage().getBody(String.class));
        assertNotNull(deadLetters.get(0).getMessage().getHeader("factory_error"));

        assertNotNull(context.getRegistry().lookupByName("norm.step-0.normalizer"), "the template bean, one per Pipe and part");
        loader.unload(file);
        assertEquals(2, context.getRoutes().size());
        assertNull(context.getRegistry().lookupByName("norm.step-0.normalizer"), "removed with its route");
    }

    @Test
    void should_leave_out_parameters_whose_optional_property_is_unset() {
        Map<?, ?> without = sourceFrom("      brokerUrl: tcp://h:1\n      topic: a/b\n");
        Map<?, ?> parameters = (Map<?, ?>) without.get("parameters");
        assertFalse(parameters.containsKey("userName"), parameters.toString());
        assertTrue(String.valueOf(parameters.get("clientId")).endsWith("-x"), "the default client id names the Pipe: " + parameters);
        Map<?, ?> with = (Map<?, ?>) sourceFrom("      brokerUrl: tcp://h:1\n      topic: a/b\n      username: hub\n").get("parameters");
        assertEquals("hub", with.get("userName"));
        assertEquals("1", String.valueOf(with.get("qos")), "the default");
    }

    @Test
    void should_inline_what_follows_where_a_source_sends_to_kamelet_sink_inside_a_choice(@TempDir Path kamelets) throws Exception {
        Files.writeString(kamelets.resolve("choosy-source.kamelet.yaml"), """
                apiVersion: camel.apache.org/v1
                kind: Kamelet
                metadata:
                  name: choosy-source
                  labels: {camel.apache.org/kamelet.type: source}
                spec:
                  definition:
                    properties:
                      keep: {title: Keep, description: d, type: string, default: "yes"}
                  template:
                    from:
                      uri: direct:choosy
                      steps:
                        - choice:
                            when:
                              - simple: "${body} == '{{keep}}'"
                                steps:
                                  - to: kamelet:sink
                        - setHeader: {name: after, constant: "1"}
                """);
        PipeTranslator translator = new PipeTranslator(new KameletCatalog(kamelets));
        Map<?, ?> route = (Map<?, ?>) translator.translate(documents("""
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata: {name: choosy}
                spec:
                  source: {ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: choosy-source}}
                  sink: {uri: "log:sunk"}
                """)).routes().get(0).get("route");
        String text = route.toString();
        assertTrue(text.contains("simple=${body} == 'yes'"), text);
        assertTrue(text.contains("steps=[{to={uri=log:sunk}}]"), "the sink inside the branch: " + text);
        assertTrue(text.indexOf("after") > text.indexOf("log:sunk"), text);
    }

    private Map<?, ?> sourceFrom(String properties) {
        String pipe = "apiVersion: camel.apache.org/v1\nkind: Pipe\nmetadata:\n  name: x\nspec:\n  source:\n"
                + "    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: mqtt5-source}\n"
                + "    properties:\n" + properties
                + "  sink:\n    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: factory-kafka-sink}\n";
        Map<?, ?> route = (Map<?, ?>) new PipeTranslator(catalog).translate(documents(pipe)).routes().get(0).get("route");
        return (Map<?, ?>) route.get("from");
    }

    private static List<Object> documents(String content) {
        List<Object> documents = new ArrayList<>();
        new Load(LoadSettings.builder().build()).loadAllFromString(content).forEach(documents::add);
        return documents;
    }
}
