package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.header;
import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.SchemaFile;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.faults.CuttableTcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.commons.io.file.PathUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped flow, routes/anomaly-detection.camel.yaml, on the hub's own model server with the committed model:
 * line-1 JSON readings over MQTT -> factory.machine.telemetry -> inference-action -> factory.machine.anomalies.
 */
class AnomalyDetectionTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final TestPlant PLANT = TestPlant.shared();
    private static Path models;
    private static HubUnderTest hub;

    @BeforeAll
    static void start() throws Exception {
        // a copy: one test drops a new version in
        models = Files.createTempDirectory("models");
        PathUtils.copyDirectory(HubUnderTest.REPO.resolve("ml/models"), models);
        hub = new HubUnderTest(PLANT, Map.of("factory.ml.model-repository", models.toString()))
                .withRepoConnector("line-1-sensors.pipe.yaml").withAnomalyDetection().start();
    }

    @AfterAll
    static void stop() throws Exception {
        hub.close();
        PathUtils.deleteDirectory(models);
    }

    @Test
    void should_flag_a_spike_and_a_slow_rise_below_the_alarm_level_but_not_normal_vibration() throws Exception {
        try (MqttPublisher publisher = new MqttPublisher(PLANT.mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(PLANT.bootstrapServers(), "factory.machine.telemetry");
             KafkaRecords anomalies = new KafkaRecords(PLANT.bootstrapServers(), "factory.machine.anomalies")) {
            awaitScoring(publisher, anomalies, "anom-warmup");
            publishVibration(publisher, "anom-normal", 2.0, 2.05, 1.95, 2.02, 1.98, 2.01, 2.03, 1.97);
            publishVibration(publisher, "anom-spike", 2.0, 2.05, 1.95, 2.02, 10.1);
            // bearing wear: well above normal, still under the 6 mm/s alarm a static rule would wait for
            publishVibration(publisher, "anom-wear", 4.4, 4.5, 4.6, 4.6, 4.7);

            ConsumerRecord<String, String> spike = anomalies.await(keyed("anom-spike"), 1, WITHIN).get(0);
            JsonNode event = SchemaFile.ANOMALY.valid(spike.value());
            assertEquals("vibration", event.get("tag").asText());
            assertEquals("vib-1", event.get("deviceId").asText());
            assertEquals("line-1", event.get("line").asText());
            assertEquals(List.of(2.0, 2.05, 1.95, 2.02, 10.1), values(event), "the window, oldest first");
            assertEquals("vibration-anomaly", event.at("/model/name").asText());
            assertEquals("1", event.at("/model/version").asText());
            assertEquals("anomaly-detection", event.get("connector").asText());
            assertTrue(event.get("score").asDouble() >= 0.5, event::toString);
            ConsumerRecord<String, String> reading = telemetry.await(lastOf("anom-spike", 10.1), 1, WITHIN).get(0);
            assertEquals(header(reading, "ce_id"), header(spike, "factory_reading_id"), "lineage: the reading that completed the window");
            assertEquals(header(reading, "ce_id"), event.get("readingId").asText());

            JsonNode wear = SchemaFile.ANOMALY.valid(anomalies.await(keyed("anom-wear"), 1, WITHIN).get(0).value());
            assertTrue(values(wear).stream().allMatch(v -> v < 6.0), "under the static alarm level: " + wear);

            assertEquals(List.of(), anomalies.settle(keyed("anom-normal"), Duration.ofSeconds(3)), "normal vibration is not an anomaly");
        }
    }

    @Test
    void should_name_the_new_model_version_once_it_is_dropped_into_the_repository() throws Exception {
        try (MqttPublisher publisher = new MqttPublisher(PLANT.mqttUrl());
             KafkaRecords anomalies = new KafkaRecords(PLANT.bootstrapServers(), "factory.machine.anomalies")) {
            awaitScoring(publisher, anomalies, "anom-v1");
            PathUtils.copyDirectory(models.resolve("vibration-anomaly/1"), models.resolve("vibration-anomaly/2"));
            Instant deadline = Instant.now().plus(WITHIN);
            String version = "1";
            for (int round = 0; !"2".equals(version) && Instant.now().isBefore(deadline); round++) {
                String machine = "anom-v2-" + round;
                publishVibration(publisher, machine, 2.0, 2.0, 2.0, 2.0, 11.0);
                version = SchemaFile.ANOMALY.valid(anomalies.await(keyed(machine), 1, WITHIN).get(0).value())
                        .at("/model/version").asText();
            }
            assertEquals("2", version, "the version dropped in scores without a restart");
        }
    }

    @Test
    void should_pass_readings_on_unscored_and_say_so_once_while_the_model_is_unreachable() throws Exception {
        try (CuttableTcpProxy proxy = new CuttableTcpProxy(hub.httpPort());
             MqttPublisher publisher = new MqttPublisher(PLANT.mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(PLANT.bootstrapServers(), "factory.machine.telemetry");
             KafkaRecords anomalies = new KafkaRecords(PLANT.bootstrapServers(), "factory.machine.anomalies");
             KafkaRecords events = new KafkaRecords(PLANT.bootstrapServers(), "factory.machine.events")) {
            // the action as a step of an ingest Pipe, scoring through a link the test can cut
            Files.writeString(hub.connectors().resolve("scored-line.pipe.yaml"), scoredPipe(proxy.port()));
            awaitScoring(publisher, anomalies, "scored-warmup", "scored");

            proxy.cut();
            int readings = 0;
            for (int i = 0; i < 40; i++) { // 8 s of readings, a spike every 5th: nothing can score them
                publishScored(publisher, "scored-down", i, i % 5 == 4 ? 12.0 : 2.0);
                readings++;
                Thread.sleep(200);
            }
            List<ConsumerRecord<String, String>> passed = telemetry.await(keyed("scored-down"), readings, WITHIN);
            ConsumerRecord<String, String> unavailable = events.await(event("inference-unavailable"), 1, WITHIN).get(0);
            JsonNode down = SchemaFile.MACHINE_EVENT.valid(unavailable.value());
            proxy.restore();
            // the breaker tries again with the next request: readings keep coming, as on a line
            List<ConsumerRecord<String, String>> restoredEvents = List.of();
            Instant deadline = Instant.now().plus(WITHIN);
            for (int i = 0; restoredEvents.isEmpty() && Instant.now().isBefore(deadline); i++) {
                publishScored(publisher, "scored-up", i, i % 5 == 4 ? 12.0 : 2.0);
                restoredEvents = events.within(event("inference-restored"), 1, Duration.ofMillis(200));
            }
            assertEquals(1, restoredEvents.size(), "inference-restored within " + WITHIN);
            JsonNode up = SchemaFile.MACHINE_EVENT.valid(restoredEvents.get(0).value());
            for (int i = 0; i < 5; i++) {
                publishScored(publisher, "scored-again", i, i == 4 ? 12.0 : 2.0);
            }
            anomalies.await(keyed("scored-again"), 1, WITHIN);
            System.out.printf("model unreachable: %d readings passed unscored; unavailable \"%s\"; restored after %s s%n",
                    passed.size(), down.get("reason").asText(), up.get("gapSeconds").asText());

            assertEquals(readings, passed.size(), "every reading passed on");
            for (int i = 0; i < readings; i++) {
                assertEquals(i % 5 == 4 ? 12.0 : 2.0, SchemaFile.TELEMETRY.valid(passed.get(i).value()).get("value").asDouble(),
                        "reading " + i + " unchanged, in order");
            }
            assertEquals("scored-line", down.get("connector").asText());
            assertEquals("factory-hub-plant-a", unavailable.key());
            assertEquals(1, events.settle(event("inference-unavailable"), Duration.ofSeconds(2)).size(), "one per change");
            assertEquals(1, events.settle(event("inference-restored"), Duration.ZERO).size(), "one per change");
        } finally {
            Files.deleteIfExists(hub.connectors().resolve("scored-line.pipe.yaml"));
        }
    }

    /** Publishes spikes for fresh machines until one is flagged: the route's consumer and the model are up. */
    private static void awaitScoring(MqttPublisher publisher, KafkaRecords anomalies, String prefix) throws Exception {
        awaitScoring(publisher, anomalies, prefix, null);
    }

    private static void awaitScoring(MqttPublisher publisher, KafkaRecords anomalies, String prefix, String scoredLine)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        for (int round = 0; Instant.now().isBefore(deadline); round++) {
            String machine = prefix + "-" + round;
            for (int i = 0; i < 5; i++) {
                double value = i == 4 ? 11.0 : 2.0;
                if (scoredLine == null) {
                    publishVibration(publisher, machine, value);
                } else {
                    publishScored(publisher, machine, i, value);
                }
            }
            if (!anomalies.within(keyed(machine), 1, Duration.ofSeconds(3)).isEmpty()) {
                return;
            }
        }
        throw new AssertionError("no anomaly within 90 s: the flow does not score");
    }

    private static void publishVibration(MqttPublisher publisher, String machine, double... values) throws Exception {
        for (double value : values) {
            publisher.publish("plant-a/line-1/" + machine + "/vibration",
                    "{\"machineId\":\"" + machine + "\",\"deviceId\":\"vib-1\",\"value\":" + value + "}");
        }
    }

    private static void publishScored(MqttPublisher publisher, String machine, int seq, double value) throws Exception {
        publisher.publish("plant-a/scored/" + machine + "/vibration",
                "{\"machineId\":\"" + machine + "\",\"deviceId\":\"vib-1\",\"value\":" + value + ",\"seq\":" + seq + "}");
    }

    private static String scoredPipe(int modelPort) {
        return """
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: scored-line
                spec:
                  source:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: mqtt5-source}
                    properties:
                      brokerUrl: "{{factory.mqtt.broker-url}}"
                      topic: "plant-a/scored/+/+"
                  steps:
                    - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}
                      properties: {format: json, line: scored}
                    - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: inference-action}
                      properties:
                        url: "http://127.0.0.1:%d"
                        model: vibration-anomaly
                        tags: vibration
                        scoreOutput: 1
                        timeoutMs: 300
                        breakerOpenMs: 1000
                  sink:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: factory-kafka-sink}
                """.formatted(modelPort);
    }

    private static Predicate<ConsumerRecord<String, String>> event(String type) {
        return record -> record.value().contains("\"type\":\"" + type + "\"") && record.value().contains("\"scored-line\"");
    }

    private static Predicate<ConsumerRecord<String, String>> lastOf(String machine, double value) {
        return record -> machine.equals(record.key()) && record.value().contains("\"value\":" + value);
    }

    private static List<Double> values(JsonNode anomaly) {
        List<Double> values = new java.util.ArrayList<>();
        anomaly.at("/window/values").forEach(v -> values.add(Math.round(v.asDouble() * 1000) / 1000.0));
        return values;
    }
}
