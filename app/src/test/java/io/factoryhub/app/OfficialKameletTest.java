package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.TestPlant;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** A kamelet file from Apache's catalog (camel-kamelets 4.16.0), dropped into kamelets/, works unchanged in a Pipe. */
class OfficialKameletTest {

    private static final Path CATALOG = Path.of("target/official-kamelets/camel-kamelets.jar");

    @Test
    void should_run_a_pipe_with_an_official_kamelet_dropped_into_kamelets() throws Exception {
        TestPlant plant = TestPlant.shared();
        Path kamelets = Files.createTempDirectory("kamelets");
        try (Stream<Path> ours = Files.list(HubUnderTest.REPO.resolve("kamelets"))) {
            for (Path file : ours.toList()) {
                Files.copy(file, kamelets.resolve(file.getFileName()));
            }
        }
        try (ZipFile catalog = new ZipFile(CATALOG.toFile());
             InputStream official = catalog.getInputStream(catalog.getEntry("kamelets/kafka-not-secured-sink.kamelet.yaml"))) {
            Files.copy(official, kamelets.resolve("kafka-not-secured-sink.kamelet.yaml"));
        }
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
}
