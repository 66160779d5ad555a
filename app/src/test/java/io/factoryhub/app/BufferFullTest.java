package io.factoryhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.app.support.SchemaFile;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.faults.KafkaBehindProxy;
import io.factoryhub.app.support.faults.LedgerFeed;
import io.factoryhub.app.support.faults.SequenceLedger;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The buffer's full policy, end to end: with Kafka away and a 1 MiB buffer, the hub takes readings until it is full,
 * then refuses the rest, which stay unacknowledged in the broker (never an older one overwritten); /health says
 * DEGRADED and names the connector that holds its input; once Kafka is back the buffer drains, the connector
 * reconnects, the broker redelivers, and every reading arrives, in order.
 */
class BufferFullTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int READINGS = 6000;

    @Test
    void should_hold_readings_in_the_broker_while_full_and_deliver_every_one_when_kafka_is_back() throws Exception {
        TestPlant plant = TestPlant.shared();
        try (KafkaBehindProxy kafka = KafkaBehindProxy.start();
             HubUnderTest hub = new HubUnderTest(plant, Map.of(
                     "factory.kafka.bootstrap-servers", kafka.bootstrapServers(),
                     "factory.buffer.max-bytes", "1048576",
                     "factory.buffer.send-timeout-ms", "3000"));
             MqttPublisher publisher = new MqttPublisher(plant.mqttUrl())) {
            Files.writeString(hub.connectors().resolve("full-line.pipe.yaml"), """
                    apiVersion: camel.apache.org/v1
                    kind: Pipe
                    metadata:
                      name: full-line
                    spec:
                      source:
                        ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: mqtt5-source}
                        properties:
                          brokerUrl: "{{factory.mqtt.broker-url}}"
                          topic: "plant-a/line-full/+/+"
                      steps:
                        - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}
                          properties:
                            format: json
                            line: line-full
                            connector: full-line
                      sink:
                        ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: factory-kafka-sink}
                    """);
            hub.start();
            SequenceLedger ledger = new SequenceLedger("buffer-full");
            try (LedgerFeed feed = new LedgerFeed(kafka.bootstrapServers(), List.of("factory.machine.telemetry"), ledger,
                    r -> r.key() != null && r.key().startsWith("bf-") ? Optional.of(new LedgerFeed.Entry(r.key(), seq(r.value())))
                            : Optional.empty())) {
                publishReading(publisher, ledger, 0);
                await("the first reading in Kafka").atMost(Duration.ofSeconds(60)).until(() -> {
                    feed.poll();
                    return ledger.missingThrough(0) == 0;
                });

                kafka.cut();
                for (int seq = 1; seq < READINGS; seq++) {
                    publishReading(publisher, ledger, seq);
                }
                // the connector holds, retries after a back-off, fills the buffer and holds again: held most of the time
                await("DEGRADED while full, the connector holding its input").atMost(Duration.ofSeconds(60)).until(() -> {
                    String health = hub.http("/health?data=true");
                    return health.contains("DEGRADED") && health.contains("full-line holds its input");
                });
                String metrics = hub.http("/metrics");
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("factory_buffer_full") && l.endsWith(" 1.0")), metrics);

                kafka.restore();
                await("every reading in Kafka").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
                    feed.poll();
                    return ledger.missingThrough(READINGS - 1) == 0;
                });
                SequenceLedger.Report report = ledger.report();
                System.out.println(report);
                assertEquals(0, report.missing(), report.toString());
                assertEquals(0, report.outOfOrder(), report.toString());
            }
            try (KafkaRecords events = new KafkaRecords(kafka.bootstrapServers(), "factory.machine.events")) {
                // redelivered messages may fill this small buffer again while it drains: full and recovered alternate
                List<String> types = events.settle(r -> r.value().contains("\"type\":\"buffer-"), Duration.ofSeconds(5))
                        .stream().map(r -> SchemaFile.MACHINE_EVENT.valid(r.value()).get("type").asText()).toList();
                assertTrue(types.size() >= 2 && types.size() % 2 == 0, types.toString());
                for (int i = 0; i < types.size(); i++) {
                    assertEquals(i % 2 == 0 ? "buffer-full" : "buffer-recovered", types.get(i), types.toString());
                }
            }
            await("ready again").atMost(Duration.ofSeconds(60)).until(() -> hub.http("/health").startsWith("200 "));
        }
    }

    private static void publishReading(MqttPublisher publisher, SequenceLedger ledger, int seq) throws Exception {
        String machine = "bf-" + (seq % 3);
        publisher.publish("plant-a/line-full/" + machine + "/vibration", "{\"machineId\":\"" + machine + "\",\"value\":" + seq + "}");
        ledger.sent(seq);
    }

    private static long seq(String telemetry) {
        try {
            return JSON.readTree(telemetry).get("value").asLong();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
