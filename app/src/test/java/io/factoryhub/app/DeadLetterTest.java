package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.header;
import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.hub.reload.RouteFileLoader;
import io.factoryhub.hub.reload.ValidationProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input goes to factory.deadletter untouched, with the reason, source and connector; the flow keeps going. */
class DeadLetterTest {

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(DeadLetterTest::prepare);

    private static void prepare(HubUnderTest hub) throws Exception {
        hub.withRepoConnector("line-1-sensors.pipe.yaml").withRepoConnector("line-2-sensors.pipe.yaml");
    }

    @Test
    void should_route_bad_json_to_deadletter() throws Exception {
        assertDeadLetter("plant-a/line-1/press-d1/vibration", "{\"machineId\":\"press-d1\", \"value\": ", "malformed JSON", "line-1-sensors");
        assertDeadLetter("plant-a/line-1/press-d1/vibration", "{\"machineId\":\"press-d1\",\"value\":\"high\"}", "value is not numeric", "line-1-sensors");
    }

    @Test
    void should_route_bad_csv_to_deadletter() throws Exception {
        assertDeadLetter("iot-sensor/sw/vibration", "mill-d1,vib-1,4.2", "CSV line has 3 columns, expected 4", "line-2-sensors");
        assertDeadLetter("iot-sensor/sw/vibration", "mill-d1,vib-1,abc,1763805600123", "value is not numeric", "line-2-sensors");
    }

    /** Also: a Pipe with only the kamelets' required properties runs (its MQTT client id derived from its name). */
    /** A format the normalizer does not know is refused when the Pipe loads (the kamelet's enum), not message by message. */
    @Test
    void should_refuse_a_pipe_with_an_unknown_format_before_any_message() throws Exception {
        Path file = HUB.hub().connectors().resolve("xml-line.pipe.yaml");
        Files.writeString(file, """
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: xml-line
                spec:
                  source:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: mqtt5-source}
                    properties:
                      brokerUrl: "{{factory.mqtt.broker-url}}"
                      topic: "test/xml/+"
                  steps:
                    - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}
                      properties:
                        format: xml
                  sink:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: factory-kafka-sink}
                """);
        RouteFileLoader.Result result = HUB.hub().runtime().loader().load(file);
        assertFalse(result.loaded());
        assertEquals(1, result.problems().size(), result.problems().toString());
        ValidationProblem problem = result.problems().get(0);
        assertEquals("format", problem.property());
        assertEquals(14, problem.line());
        assertTrue(problem.message().contains("'xml'"), problem.message());
        assertNull(HUB.hub().runtime().context().getRoute("xml-line"));
    }

    @Test
    void should_route_oversized_payload_to_deadletter() throws Exception {
        String big = "{\"machineId\":\"press-d2\",\"value\":1,\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}";
        assertDeadLetter("plant-a/line-1/press-d2/vibration", big, "exceeds the limit of 1048576 bytes", "line-1-sensors");
    }

    @Test
    void should_route_an_overlong_machine_id_to_deadletter_and_deliver_the_next_reading() throws Exception {
        String poison = "{\"machineId\":\"" + "m".repeat(400 * 1024) + "\",\"value\":1}";
        assertDeadLetter("plant-a/line-1/press-d4/vibration", poison, "machineId of 409600 characters exceeds the limit of 256",
                "line-1-sensors");
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            publisher.publish("plant-a/line-1/press-d4/vibration", "{\"machineId\":\"press-d4\",\"value\":3.5}");
            assertEquals(1, telemetry.await(keyed("press-d4"), 1, Duration.ofSeconds(30)).size());
        }
    }

    /**
     * The hub announces factory.max-payload-bytes + 64 KiB as its MQTT 5 Maximum Packet Size, so the broker keeps larger
     * messages from it (MQTT 5: it discards them, as delivered) instead of handing the JVM a payload of any size.
     */
    @Test
    void should_not_be_handed_a_payload_over_the_announced_maximum_packet_size() throws Exception {
        String huge = "{\"machineId\":\"press-d5\",\"value\":1,\"pad\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}";
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords deadletters = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.deadletter");
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            publisher.publish("plant-a/line-1/press-d5/vibration", huge);
            publisher.publish("plant-a/line-1/press-d5/vibration", "{\"machineId\":\"press-d5\",\"value\":2}");
            assertEquals(1, telemetry.await(keyed("press-d5"), 1, Duration.ofSeconds(30)).size(), "the next reading flows");
            assertTrue(deadletters.settle(r -> r.value().length() > 3 * 1024 * 1024, Duration.ofSeconds(2)).isEmpty(),
                    "the broker did not hand the hub the 3 MiB message");
        }
    }

    @Test
    void should_keep_delivering_good_readings_after_bad_ones_and_count_them() throws Exception {
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            publisher.publish("plant-a/line-1/press-d3/vibration", "not json at all");
            publisher.publish("plant-a/line-1/press-d3/vibration", "{\"machineId\":\"press-d3\",\"value\":2.5}");
            assertEquals(1, telemetry.await(keyed("press-d3"), 1, Duration.ofSeconds(30)).size());
        }
        String metrics = HUB.hub().http("/metrics");
        assertTrue(metrics.startsWith("200 "), metrics);
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("factory_deadletter_total") && l.contains("connector=\"line-1-sensors\"")),
                "dead-letter counter per connector in /metrics");
    }

    private static void assertDeadLetter(String topic, String payload, String reason, String connector) throws Exception {
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords deadletters = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.deadletter")) {
            // each payload is sent once per test JVM (fresh plant), so the payload identifies its dead letter
            publisher.publish(topic, payload);
            ConsumerRecord<String, String> record = deadletters.await(r -> payload.equals(r.value()), 1, Duration.ofSeconds(30)).get(0);
            assertTrue(header(record, "factory_error").contains(reason), header(record, "factory_error"));
            assertEquals(connector, header(record, "factory_connector"));
            assertEquals(topic, header(record, "factory_source_address"));
            assertEquals("mqtt", header(record, "factory_source_protocol"));
        }
    }
}
