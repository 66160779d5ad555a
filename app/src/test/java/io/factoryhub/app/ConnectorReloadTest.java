package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.testkit.Waits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pipes and routes dropped into, edited in or removed from their folders take effect while the hub runs. */
class ConnectorReloadTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** What a reload takes here as a rule: the wait before checking that something stopped or stayed. */
    private static final Duration RELOAD_BOUND = Duration.ofSeconds(5);
    /** How long a change may take to show in Kafka on a loaded CI machine (a new Pipe connects to MQTT and Kafka). */
    private static final Duration IN_EFFECT_BOUND = Duration.ofSeconds(30);
    @RegisterExtension
    static final RunningHub HUB = new RunningHub(hub -> { });

    @Test
    void should_add_edit_and_remove_a_pipe_without_restart() throws Exception {
        Path pipe = HUB.hub().connectors().resolve("hot-line.pipe.yaml");
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            int routesWithoutPipe = HUB.hub().runtime().context().getRoutes().size();
            Files.writeString(pipe, pipe("hot-v1"));
            assertEquals("hot-v1", connectorOf(publishUntilDelivered(publisher, telemetry, "hot-m1")));
            int routesBefore = HUB.hub().runtime().context().getRoutes().size();
            assertEquals(routesWithoutPipe + 1, routesBefore, "a Pipe is one route");
            assertTrue(HUB.hub().runtime().context().getRoute("hot-line") != null, "named after the Pipe");

            Files.writeString(pipe, pipe("hot-v2"));
            ConsumerRecord<String, String> edited = publishUntil(publisher, telemetry, "hot-m2", r -> "hot-v2".equals(connectorOf(r)));
            assertEquals("hot-v2", connectorOf(edited));
            assertEquals(routesBefore, HUB.hub().runtime().context().getRoutes().size(), "the old route was removed");
            publisher.publish("test/hot/hot-m3/vibration", "{\"machineId\":\"hot-m3\",\"value\":1}");
            List<ConsumerRecord<String, String>> once = telemetry.settle(keyed("hot-m3"), Duration.ofSeconds(2));
            assertEquals(1, once.size(), "exactly one route consumes after the edit");

            Files.delete(pipe);
            assertTrue(Waits.within(IN_EFFECT_BOUND, () -> HUB.hub().runtime().context().getRoute("hot-line") == null),
                    "the deleted Pipe's route was removed");
            publisher.publish("test/hot/hot-m4/vibration", "{\"machineId\":\"hot-m4\",\"value\":1}");
            assertEquals(List.of(), telemetry.settle(keyed("hot-m4"), Duration.ofSeconds(2)), "removed pipe no longer consumes");
        }
    }

    @Test
    void should_keep_previous_version_running_when_an_edit_is_broken() throws Exception {
        Path pipe = HUB.hub().connectors().resolve("steady-line.pipe.yaml");
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            Files.writeString(pipe, pipe("steady-v1").replace("test/hot/", "test/steady/"));
            publishUntilDelivered(publisher, telemetry, "steady-m1", "test/steady/");

            Files.writeString(pipe, "kind: Pipe\nspec: [unclosed\n");
            Thread.sleep(RELOAD_BOUND.toMillis());
            publisher.publish("test/steady/steady-m2/vibration", "{\"machineId\":\"steady-m2\",\"value\":1}");
            assertEquals("steady-v1", connectorOf(telemetry.await(keyed("steady-m2"), 1, Duration.ofSeconds(10)).get(0)));

            Files.writeString(pipe, pipe("steady-v1").replace("test/hot/", "test/steady/").replace("clientId:", "clientIdd:"));
            Thread.sleep(RELOAD_BOUND.toMillis());
            publisher.publish("test/steady/steady-m3/vibration", "{\"machineId\":\"steady-m3\",\"value\":1}");
            assertEquals("steady-v1", connectorOf(telemetry.await(keyed("steady-m3"), 1, Duration.ofSeconds(10)).get(0)),
                    "an unknown property is refused and the old version keeps running");
        }
    }

    @Test
    void should_reload_the_pipes_that_use_a_kamelet_edited_while_the_hub_runs() throws Exception {
        Path kamelets = HubUnderTest.copyOfRepoKamelets();
        try (HubUnderTest hub = new HubUnderTest(HUB.plant(), kamelets);
             MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            Files.writeString(hub.connectors().resolve("kamelet-edit.pipe.yaml"), pipe("kedit-v1").replace("test/hot/", "test/kedit/"));
            hub.start();
            assertEquals("plant-a", siteOf(publishUntilDelivered(publisher, telemetry, "kedit-m1", "test/kedit/")));

            Path normalize = kamelets.resolve("telemetry-normalize-action.kamelet.yaml");
            String kamelet = Files.readString(normalize);
            assertTrue(kamelet.contains("default: \"{{factory.site}}\""), "the site default this test edits");
            Files.writeString(normalize, kamelet.replace("default: \"{{factory.site}}\"", "default: \"plant-z\""));
            ConsumerRecord<String, String> edited = publishUntil(publisher, telemetry, "kedit-m2", "test/kedit/",
                    r -> "plant-z".equals(siteOf(r)));
            assertEquals("kedit-v1", connectorOf(edited));
        }
    }

    @Test
    void should_refuse_a_route_with_an_unknown_option_and_load_it_once_fixed() throws Exception {
        Path route = HUB.hub().routes().resolve("heartbeat.camel.yaml");
        String valid = """
                - route:
                    id: heartbeat
                    from:
                      uri: "timer:heartbeat"
                      parameters:
                        period: 200
                      steps:
                        - setBody:
                            constant: "beat"
                        - to: "kafka:test.heartbeat"
                """;
        Files.writeString(route, valid.replace("period: 200", "perod: 200"));
        Thread.sleep(RELOAD_BOUND.toMillis());
        assertEquals(null, HUB.hub().runtime().context().getRoute("heartbeat"), "refused");
        assertTrue(HUB.hub().runtime().context().getRoute("deadletter") != null, "other routes untouched");
        Files.writeString(route, valid);
        try (KafkaRecords beats = new KafkaRecords(HUB.plant().bootstrapServers(), "test.heartbeat")) {
            assertTrue(beats.await(r -> "beat".equals(r.value()), 1, Duration.ofSeconds(20)).size() >= 1);
        }
    }

    private static ConsumerRecord<String, String> publishUntilDelivered(MqttPublisher publisher, KafkaRecords telemetry, String machine) throws Exception {
        return publishUntilDelivered(publisher, telemetry, machine, "test/hot/");
    }

    private static ConsumerRecord<String, String> publishUntilDelivered(MqttPublisher publisher, KafkaRecords telemetry,
                                                                        String machine, String prefix) throws Exception {
        return Waits.atMost(IN_EFFECT_BOUND).pollInterval(Waits.BACK_TO_BACK)
                .alias("pipe for " + prefix + machine + " active")
                .until(() -> {
                    publisher.publish(prefix + machine + "/vibration", "{\"machineId\":\"" + machine + "\",\"value\":1}");
                    return telemetry.within(keyed(machine), 1, Duration.ofMillis(500));
                }, delivered -> !delivered.isEmpty()).get(0);
    }

    private static ConsumerRecord<String, String> publishUntil(MqttPublisher publisher, KafkaRecords telemetry, String machine,
                                                               java.util.function.Predicate<ConsumerRecord<String, String>> done) throws Exception {
        return publishUntil(publisher, telemetry, machine, "test/hot/", done);
    }

    private static ConsumerRecord<String, String> publishUntil(MqttPublisher publisher, KafkaRecords telemetry, String machine, String prefix,
                                                               java.util.function.Predicate<ConsumerRecord<String, String>> done) throws Exception {
        return Waits.atMost(IN_EFFECT_BOUND).pollInterval(Waits.BACK_TO_BACK)
                .alias("edit for " + prefix + machine + " in effect")
                .until(() -> {
                    publisher.publish(prefix + machine + "/vibration", "{\"machineId\":\"" + machine + "\",\"value\":1}");
                    return telemetry.settle(keyed(machine).and(done), Duration.ofMillis(500));
                }, got -> !got.isEmpty()).get(0);
    }

    private static String connectorOf(ConsumerRecord<String, String> record) {
        return field(record, "/source/connector");
    }

    private static String siteOf(ConsumerRecord<String, String> record) {
        return field(record, "/site");
    }

    private static String field(ConsumerRecord<String, String> record, String pointer) {
        try {
            return MAPPER.readTree(record.value()).at(pointer).asText();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String pipe(String connector) {
        return """
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: %s
                spec:
                  source:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: mqtt5-source}
                    properties:
                      brokerUrl: "{{factory.mqtt.broker-url}}"
                      topic: "test/hot/+/+"
                      clientId: factory-hub-test-%s
                  steps:
                    - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}
                      properties:
                        format: json
                        connector: %s
                  sink:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: factory-kafka-sink}
                """.formatted(connector.replaceAll("-v\\d", "-line"), connector.replaceAll("-v\\d", ""), connector);
    }
}
