package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.TelemetrySchema;
import io.factoryhub.app.support.RunningHub;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Line 2: Industrial-Edge CSV lines on iot-sensor/sw/<tag> through connectors/line-2-sensors.pipe.yaml. */
class MqttCsvIngestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    @RegisterExtension
    static final RunningHub HUB = new RunningHub(hub -> hub.withRepoConnector("line-2-sensors.pipe.yaml"));

    @Test
    void should_deliver_csv_readings_with_tag_from_topic() throws Exception {
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            publisher.publish("iot-sensor/sw/vibration", "mill-c1,vib-1,3.75,1763805600123");
            publisher.publish("iot-sensor/sw/temperature", "mill-c1,temp-1,48.25,1763805601123");
            List<ConsumerRecord<String, String>> records = telemetry.await(keyed("mill-c1"), 2, Duration.ofSeconds(30));
            JsonNode vibration = MAPPER.readTree(records.get(0).value());
            JsonNode temperature = MAPPER.readTree(records.get(1).value());
            records.forEach(r -> TelemetrySchema.assertValid(r.value()));
            assertEquals("vibration", vibration.get("tag").asText());
            assertEquals(3.75, vibration.get("value").asDouble());
            assertEquals("vib-1", vibration.get("deviceId").asText());
            assertEquals(Instant.ofEpochMilli(1763805600123L).toString(), vibration.get("sourceTime").asText());
            assertEquals("line-2", vibration.get("line").asText());
            assertEquals("iot-sensor/sw/vibration", vibration.at("/source/address").asText());
            assertEquals("temperature", temperature.get("tag").asText());
            assertEquals(48.25, temperature.get("value").asDouble());
            assertEquals("degC", temperature.get("unit").asText());
        }
    }
}
