package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.RunningHub;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** /health reflects Kafka, the MQTT broker and OPC-UA subscriptions; /metrics counts per connector route. */
class ObservabilityTest {

    @RegisterExtension
    static final RunningHub HUB = new RunningHub(hub -> hub.withRepoConnector("line-1-sensors.pipe.yaml"));

    @Test
    void should_report_ready_with_each_dependency() throws Exception {
        String health = HUB.hub().http("/health?exposureLevel=full");
        assertTrue(health.startsWith("200 "), health);
        JsonNode body = new ObjectMapper().readTree(health.substring(4));
        assertTrue("UP".equals(body.get("status").asText()), health);
        for (String check : new String[] {"kafka", "mqtt-broker", "opcua-subscriptions"}) {
            assertTrue(health.contains("\"" + check + "\""), check + " in " + health);
        }
    }

    @Test
    void should_count_events_per_connector() throws Exception {
        try (MqttPublisher publisher = new MqttPublisher(HUB.plant().mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            publisher.publish("plant-a/line-1/press-m1/vibration", "{\"machineId\":\"press-m1\",\"value\":1.5}");
            telemetry.await(keyed("press-m1"), 1, Duration.ofSeconds(30));
        }
        String metrics = HUB.hub().http("/metrics");
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("factory_connector_events_total")
                        && line.contains("connector=\"line-1-sensors\"") && !line.endsWith(" 0.0")),
                "per-connector throughput in /metrics");
    }
}
