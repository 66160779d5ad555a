package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.TestPlant;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipFile;
import org.apache.camel.Route;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Kamelet files from Apache's catalog (camel-kamelets 4.16.0), dropped into kamelets/, work unchanged in a Pipe. */
class OfficialKameletTest {

    private static final Path CATALOG = Path.of("target/official-kamelets/camel-kamelets.jar");

    @Test
    void should_run_a_pipe_with_an_official_kamelet_dropped_into_kamelets() throws Exception {
        TestPlant plant = TestPlant.shared();
        Path kamelets = kameletsWith("kafka-not-secured-sink");
        try (HubUnderTest hub = new HubUnderTest(plant, kamelets);
             MqttPublisher publisher = new MqttPublisher(plant.mqttUrl());
             KafkaRecords out = new KafkaRecords(plant.bootstrapServers(), "test.official")) {
            Files.writeString(hub.connectors().resolve("official.pipe.yaml"), """
                    apiVersion: camel.apache.org/v1
                    kind: Pipe
                    metadata:
                      name: official
                    spec:
                      source:
                        ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: mqtt5-source}
                        properties:
                          brokerUrl: "{{factory.mqtt.broker-url}}"
                          topic: "test/official/+/+"
                          clientId: factory-hub-test-official
                      steps:
                        - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}
                          properties:
                            format: json
                            connector: official
                      sink:
                        ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: kafka-not-secured-sink}
                        properties:
                          topic: test.official
                          bootstrapServers: "{{factory.kafka.bootstrap-servers}}"
                    """);
            hub.start();
            publisher.publish("test/official/press-o1/vibration", "{\"machineId\":\"press-o1\",\"value\":3.5}");
            ConsumerRecord<String, String> record = out.await(keyed("press-o1"), 1, Duration.ofSeconds(30)).get(0);
            assertEquals("official", KafkaRecords.header(record, "factory_connector"));
        }
    }

    /** An official source, two official actions (one with a bean-less template, one logging) and an official sink, inlined. */
    @Test
    void should_run_a_pipe_of_official_source_actions_and_sink_as_one_route() throws Exception {
        TestPlant plant = TestPlant.shared();
        Path kamelets = kameletsWith("timer-source", "insert-header-action", "log-action", "kafka-not-secured-sink");
        try (HubUnderTest hub = new HubUnderTest(plant, kamelets);
             KafkaRecords out = new KafkaRecords(plant.bootstrapServers(), "test.official.timer")) {
            Files.writeString(hub.connectors().resolve("official-timer.pipe.yaml"), """
                    apiVersion: camel.apache.org/v1
                    kind: Pipe
                    metadata:
                      name: official-timer
                    spec:
                      source:
                        ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: timer-source}
                        properties:
                          message: "tick from the timer"
                          period: 200
                      steps:
                        - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: insert-header-action}
                          properties:
                            name: line
                            value: line-7
                        - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: log-action}
                          properties:
                            showHeaders: true
                      sink:
                        ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: kafka-not-secured-sink}
                        properties:
                          topic: test.official.timer
                          bootstrapServers: "{{factory.kafka.bootstrap-servers}}"
                    """);
            hub.start();
            ConsumerRecord<String, String> record = out.await(r -> "tick from the timer".equals(r.value()), 1, Duration.ofSeconds(30)).get(0);
            assertEquals("line-7", KafkaRecords.header(record, "line"), "the action's header reached the sink");
            Set<String> routes = hub.runtime().context().getRoutes().stream().map(Route::getRouteId)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertTrue(routes.contains("official-timer"), routes::toString);
            // Camel's kamelet component would add a route per kamelet, named <kamelet>-<n>: the Pipe's made none
            for (String kamelet : List.of("timer-source", "insert-header-action", "log-action", "kafka-not-secured-sink")) {
                assertTrue(routes.stream().noneMatch(id -> id.startsWith(kamelet)), () -> "a route of " + kamelet + ": " + routes);
            }
            assertEquals("timer://tick?period=200", hub.runtime().context().getRoute("official-timer").getEndpoint().getEndpointUri(),
                    "the optional repeatCount left out, the period given");
        }
    }

    private static Path kameletsWith(String... official) throws Exception {
        Path kamelets = HubUnderTest.copyOfRepoKamelets();
        try (ZipFile catalog = new ZipFile(CATALOG.toFile())) {
            for (String name : official) {
                try (InputStream in = catalog.getInputStream(catalog.getEntry("kamelets/" + name + ".kamelet.yaml"))) {
                    Files.copy(in, kamelets.resolve(name + ".kamelet.yaml"));
                }
            }
        }
        return kamelets;
    }
}
