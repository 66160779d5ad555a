package io.factoryhub.app;

import static io.factoryhub.app.support.KafkaRecords.keyed;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.KafkaRecords;
import io.factoryhub.app.support.TelemetrySchema;
import io.factoryhub.app.support.RunningHub;
import io.factoryhub.testkit.Waits;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** OPC-UA variables through the opcua-source kamelet: values, source time, quality, and a server restart. */
class OpcUaIngestTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String VIBRATION = "plant-a/line-t/opc-01/vibration";
    private static final String TEMPERATURE = "plant-a/line-t/opc-01/temperature";
    @RegisterExtension
    static final RunningHub HUB = new RunningHub(OpcUaIngestTest::prepare);

    private static void prepare(HubUnderTest hub) throws Exception {
        Files.writeString(hub.connectors().resolve("opc-test.pipe.yaml"), """
                apiVersion: camel.apache.org/v1
                kind: Pipe
                metadata:
                  name: opc-test
                spec:
                  source:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: opcua-source}
                    properties:
                      endpointUri: "{{factory.opcua.endpoint}}"
                      nodeIds: "ns=2;s=plant-a/line-t/opc-01/vibration,ns=2;s=plant-a/line-t/opc-01/temperature"
                      samplingInterval: 100
                  steps:
                    - ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: telemetry-normalize-action}
                      properties:
                        format: opcua
                        connector: opc-test
                  sink:
                    ref: {kind: Kamelet, apiVersion: camel.apache.org/v1, name: factory-kafka-sink}
                """);
    }

    @Test
    void should_deliver_values_with_source_time_and_quality() throws Exception {
        try (KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            Instant sourceTime = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            HUB.plant().opcua().setValue(VIBRATION, 7.25, sourceTime);
            JsonNode event = event(telemetry.await(keyed("opc-01").and(valued(7.25)), 1, Duration.ofSeconds(30)).get(0));
            assertEquals("vibration", event.get("tag").asText());
            assertEquals("line-t", event.get("line").asText());
            assertEquals(sourceTime.toString(), event.get("sourceTime").asText());
            assertEquals("GOOD", event.get("quality").asText());
            assertEquals("opcua", event.at("/source/protocol").asText());
            assertEquals("ns=2;s=" + VIBRATION, event.at("/source/address").asText());

            HUB.plant().opcua().setValue(VIBRATION, 8.5, Instant.now());
            HUB.plant().opcua().setStatus(VIBRATION, new StatusCode(StatusCodes.Bad_SensorFailure));
            JsonNode bad = event(telemetry.await(keyed("opc-01").and(r -> r.value().contains("\"BAD\"")), 1, Duration.ofSeconds(30)).get(0));
            assertEquals("BAD", bad.get("quality").asText());
        }
    }

    @Test
    void should_deliver_a_bad_value_without_a_number_as_value_null_not_as_a_dead_letter() throws Exception {
        try (KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry");
             KafkaRecords deadletters = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.deadletter")) {
            HUB.plant().opcua().setValue(TEMPERATURE, 41.5, Instant.now());
            telemetry.await(keyed("opc-01").and(valued(41.5)), 1, Duration.ofSeconds(30));

            HUB.plant().opcua().setBadWithoutValue(TEMPERATURE, new StatusCode(StatusCodes.Bad_NotConnected));
            JsonNode bad = event(telemetry.await(keyed("opc-01").and(r -> event(r).get("value").isNull()), 1,
                    Duration.ofSeconds(30)).get(0));
            assertEquals("BAD", bad.get("quality").asText());
            assertEquals("temperature", bad.get("tag").asText());
            assertEquals("ns=2;s=" + TEMPERATURE, bad.at("/source/address").asText());
            assertEquals(List.of(), deadletters.settle(r -> "opc-test".equals(KafkaRecords.header(r, "factory_connector")),
                    Duration.ofSeconds(2)), "nothing of this connector in the dead letter");
        }
    }

    @Test
    void should_resume_after_the_server_restarts() throws Exception {
        try (KafkaRecords telemetry = new KafkaRecords(HUB.plant().bootstrapServers(), "factory.machine.telemetry")) {
            HUB.plant().stopOpcUa();
            HUB.plant().startOpcUa();
            AtomicReference<Double> value = new AtomicReference<>(100.0);
            // a new value each round, until one arrives within 2 s of being set
            Waits.atMost(Duration.ofSeconds(60)).pollInterval(Waits.BACK_TO_BACK)
                    .alias("values after the OPC-UA server restarted")
                    .until(() -> {
                        double next = value.updateAndGet(v -> v + 1);
                        HUB.plant().opcua().setValue(VIBRATION, next, Instant.now());
                        return telemetry.within(keyed("opc-01").and(valued(next)), 1, Duration.ofSeconds(2));
                    }, delivered -> !delivered.isEmpty());
        }
    }

    private static Predicate<ConsumerRecord<String, String>> valued(double value) {
        return record -> event(record).get("value").isNumber() && event(record).get("value").asDouble() == value;
    }

    private static JsonNode event(ConsumerRecord<String, String> record) {
        TelemetrySchema.assertValid(record.value());
        try {
            return MAPPER.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
