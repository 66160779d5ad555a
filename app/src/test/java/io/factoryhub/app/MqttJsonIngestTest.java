package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.header;
import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.TelemetrySchema;
import io.factoryhub.app.support.RunningHub;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Line 1: JSON readings over MQTT 5 through connectors/line-1-sensors.pipe.yaml into factory.machine.telemetry. */
class MqttJsonIngestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    @RegisterExtension
    static final RunningHub HUB = new RunningHub(hub -> hub.withRepoConnector("line-1-sensors.pipe.yaml"));

    @Test
    void should_deliver_json_readings_keyed_by_machine_with_lineage() throws Exception {
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            for (int i = 0; i < 5; i++) {
                publisher.publish("plant-a/line-1/press-j1/vibration",
                        "{\"machineId\":\"press-j1\",\"deviceId\":\"vib-1\",\"value\":" + (4.0 + i) + ",\"unit\":\"mm/s\","
                                + "\"timestamp\":\"2026-11-22T10:00:0" + i + ".123Z\"}");
            }
            List<ConsumerRecord<String, String>> records = telemetry.await(keyed("press-j1"), 5, Duration.ofSeconds(30));
            for (int i = 0; i < 5; i++) {
                ConsumerRecord<String, String> record = records.get(i);
                TelemetrySchema.assertValid(record.value());
                JsonNode event = MAPPER.readTree(record.value());
                assertEquals(4.0 + i, event.get("value").asDouble(), "in publish order");
                assertEquals("vibration", event.get("tag").asText());
                assertEquals("mm/s", event.get("unit").asText());
                assertEquals("plant-a", event.get("site").asText());
                assertEquals("line-1", event.get("line").asText());
                assertEquals("2026-11-22T10:00:0" + i + ".123Z", event.get("sourceTime").asText());
                assertEquals("mqtt", event.at("/source/protocol").asText());
                assertEquals("plant-a/line-1/press-j1/vibration", event.at("/source/address").asText());
                assertEquals("line-1-sensors", event.at("/source/connector").asText());
                assertEquals("1.0", header(record, "ce_specversion"));
                assertEquals("io.factoryhub.telemetry.v1", header(record, "ce_type"));
                assertEquals("/factory-hub/connectors/line-1-sensors", header(record, "ce_source"));
                assertNotNull(header(record, "ce_id"));
            }
            assertTrue(records.stream().map(r -> r.partition()).distinct().count() == 1, "one machine, one partition");
        }
    }

    @Test
    void should_take_tag_from_topic_when_payload_has_none() throws Exception {
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            publisher.publish("plant-a/line-1/press-j2/temperature", "{\"machineId\":\"press-j2\",\"value\":51.5}");
            ConsumerRecord<String, String> record = telemetry.await(keyed("press-j2"), 1, Duration.ofSeconds(30)).get(0);
            TelemetrySchema.assertValid(record.value());
            JsonNode event = MAPPER.readTree(record.value());
            assertEquals("temperature", event.get("tag").asText());
            assertEquals("degC", event.get("unit").asText());
            assertEquals(event.get("ingestTime").asText(), event.get("sourceTime").asText(), "no timestamp: ingest time");
        }
    }
}
