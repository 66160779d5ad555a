package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.testkit.Waits;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Durable MQTT session: what machines publish while the hub is down arrives once it is back. */
class RestartDeliveryTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void should_deliver_messages_published_while_the_hub_was_stopped() throws Exception {
        TestPlant plant = TestPlant.shared();
        try (HubUnderTest hub = new HubUnderTest(plant).withRepoConnector("line-1-sensors.pipe.yaml");
             MqttPublisher publisher = new MqttPublisher(plant.mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(plant.bootstrapServers(), "factory.machine.telemetry")) {
            hub.start();
            publisher.publish("plant-a/line-1/press-r1/vibration", "{\"machineId\":\"press-r1\",\"value\":-1}");
            telemetry.await(keyed("press-r1"), 1, Duration.ofSeconds(30));

            hub.stop();
            for (int i = 0; i < 50; i++) {
                publisher.publish("plant-a/line-1/press-r1/vibration", "{\"machineId\":\"press-r1\",\"value\":" + i + "}");
            }
            hub.start();

            List<ConsumerRecord<String, String>> records = telemetry.await(keyed("press-r1"), 51, Duration.ofSeconds(60));
            List<Double> values = records.stream().skip(1).map(RestartDeliveryTest::value).toList();
            assertEquals(IntStream.range(0, 50).mapToObj(i -> (double) i).toList(), values, "all, in order, none twice");
        }
    }

    @Test
    void should_lose_nothing_when_the_hub_stops_mid_stream() throws Exception {
        TestPlant plant = TestPlant.shared();
        int total = 3000;
        try (HubUnderTest hub = new HubUnderTest(plant).withRepoConnector("line-1-sensors.pipe.yaml");
             MqttPublisher publisher = new MqttPublisher(plant.mqttUrl());
             KafkaRecords telemetry = new KafkaRecords(plant.bootstrapServers(), "factory.machine.telemetry")) {
            hub.start();
            for (int i = 0; i < total; i++) {
                publisher.publish("plant-a/line-1/press-r2/vibration", "{\"machineId\":\"press-r2\",\"value\":" + i + "}");
                if (i == total / 2) {
                    hub.stop(); // graceful: in-flight exchanges finish, unacknowledged messages stay in the broker
                }
            }
            hub.start();
            // redelivered messages count once: wait for every distinct reading, not for a number of records
            java.util.Set<Double> distinct = new java.util.TreeSet<>();
            Waits.within(Duration.ofSeconds(90), Waits.BACK_TO_BACK, () -> {
                telemetry.settle(keyed("press-r2"), Duration.ofSeconds(1)).forEach(r -> distinct.add(value(r)));
                return distinct.size() >= total;
            });
            assertEquals(total, distinct.size(), "every published reading arrived (duplicates allowed, none missing)");
        }
    }

    private static double value(ConsumerRecord<String, String> record) {
        try {
            return MAPPER.readTree(record.value()).get("value").asDouble();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
