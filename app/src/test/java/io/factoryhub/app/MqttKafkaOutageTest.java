package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.TelemetryPipe;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.faults.FeedLoop;
import io.factoryhub.app.support.faults.FlowProbe;
import io.factoryhub.app.support.faults.KafkaBehindProxy;
import io.factoryhub.app.support.faults.LedgerFeed;
import io.factoryhub.app.support.faults.MachineReadings;
import io.factoryhub.app.support.faults.SequenceLedger;
import io.factoryhub.app.support.faults.SequencedMqttLoad;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.opcua.OpcUaMachineServer;
import io.factoryhub.testkit.Waits;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The factory Kafka unreachable for three minutes (a {@link KafkaBehindProxy} cut: the network drops, the broker keeps
 * running) while four machines publish sequenced readings over MQTT at 1,200 msg/s (QoS 1) and the test writes
 * sequenced values to two OPC-UA variables, both into one hub. Everything acknowledged during the outage waits in the
 * store-and-forward buffer; once Kafka is back the backlog drains in order while live data keeps arriving. Two
 * {@link SequenceLedger}s, MQTT and OPC-UA, count what reached Kafka.
 */
class MqttKafkaOutageTest {

    /** The one long Kafka outage the CI budget gives MQTT (and OPC-UA, in the same outage). */
    private static final Duration KAFKA_OUTAGE = Duration.ofSeconds(180);
    private static final int RATE = 1200;
    private static final int WINDOW = 500;
    private static final String TELEMETRY = "factory.machine.telemetry";
    private static final MachineReadings READINGS = new MachineReadings("line-f", "fm", 4);
    /** Not OpcUaIngestTest's opc-01. */
    private static final List<String> OPCUA_NODES = List.of("plant-a/line-t/opc-02/vibration", "plant-a/line-t/opc-02/temperature");
    /** Each variable keeps a value 500 ms, ten sampling intervals: the server samples every value it is given. */
    private static final long OPCUA_WRITE_EVERY_MS = 250;
    /**
     * The batch in flight when Kafka went away (at most factory.buffer.batch-records) may reach Kafka twice more: in part
     * before the cut or through requests the abandoned producer had written, which arrive once the network is back, and
     * whole from the fresh producer that sends it again (seen: up to 2,354 duplicates of one 180 s cut).
     */
    private static final int DUPLICATE_BOUND = 2 * HubConfig.defaults().getInt("factory.buffer.batch-records");

    @Test
    void should_buffer_three_minutes_of_readings_and_drain_them_in_order_while_live_data_flows() throws Exception {
        TestPlant plant = TestPlant.shared();
        OpcUaMachineServer opcuaServer = plant.opcua();
        try (KafkaBehindProxy kafka = KafkaBehindProxy.start();
             HubUnderTest hub = new HubUnderTest(plant, Map.of("factory.kafka.bootstrap-servers", kafka.bootstrapServers()))) {
            TelemetryPipe.write(hub.connectors(), "outage-mqtt", "mqtt5-source",
                    Map.of("brokerUrl", "{{factory.mqtt.broker-url}}", "topic", READINGS.topicFilter()),
                    Map.of("format", "json", "line", "line-f", "connector", "outage-mqtt"), TELEMETRY);
            TelemetryPipe.write(hub.connectors(), "outage-opcua", "opcua-source",
                    Map.of("endpointUri", "{{factory.opcua.endpoint}}", "samplingInterval", "50",
                            "nodeIds", String.join(",", OPCUA_NODES.stream().map(p -> "ns=2;s=" + p).toList())),
                    Map.of("format", "opcua", "connector", "outage-opcua"), TELEMETRY);
            hub.start();
            awaitFlowing(kafka, plant, opcuaServer);

            SequenceLedger mqtt = new SequenceLedger("mqtt");
            SequenceLedger opcua = new SequenceLedger("opcua");
            AtomicLong opcuaWritten = new AtomicLong();
            ScheduledExecutorService opcuaWriter = Executors.newSingleThreadScheduledExecutor();
            try (FeedLoop feeds = new FeedLoop(new LedgerFeed(kafka.bootstrapServers(), List.of(TELEMETRY), mqtt, READINGS::entry),
                         new LedgerFeed(kafka.bootstrapServers(), List.of(TELEMETRY), opcua, MqttKafkaOutageTest::opcuaEntry));
                 SequencedMqttLoad load = SequencedMqttLoad.start(plant.mqttUrl(), "outage-load", RATE, WINDOW, READINGS.load(mqtt))) {
                opcuaWriter.scheduleAtFixedRate(() -> {
                    long seq = opcuaWritten.get();
                    opcuaServer.setValue(OPCUA_NODES.get((int) (seq % OPCUA_NODES.size())), seq + 1, Instant.now());
                    opcua.sent(seq);
                    opcuaWritten.incrementAndGet();
                }, 0, OPCUA_WRITE_EVERY_MS, TimeUnit.MILLISECONDS);
                Thread.sleep(5_000);
                assertTrue(mqtt.report().received() > 0 && opcua.report().received() > 0, "nothing flows before the outage: "
                        + mqtt.report() + "; " + opcua.report());

                Outage outage = cut(kafka, hub, load, opcuaWritten);
                kafka.restore();
                long restoredAt = System.nanoTime();
                long lastMqttBeforeRestore = load.issued() - 1;
                long lastOpcuaBeforeRestore = opcuaWritten.get() - 1;

                FirstSeen restore = new FirstSeen(restoredAt)
                        .watch("kafka up", () -> "UP".equals(hub.healthCheck("kafka").path("status").asText()))
                        .watch("live", () -> mqtt.receivedFrom(lastMqttBeforeRestore + 1))
                        .watch("drained", () -> mqtt.missingThrough(lastMqttBeforeRestore) == 0
                                && opcua.missingThrough(lastOpcuaBeforeRestore) == 0);
                Waits.within(KAFKA_OUTAGE.multipliedBy(2), Duration.ofMillis(100), restore::all);
                Long kafkaUpAfterS = restore.seconds("kafka up");
                Long liveAfterS = restore.seconds("live");
                Long drainedAfterS = restore.seconds("drained");
                long backlogLeft = mqtt.missingThrough(lastMqttBeforeRestore) + opcua.missingThrough(lastOpcuaBeforeRestore);
                Thread.sleep(5_000); // live data after the drain
                long published = load.issued();
                boolean allAcknowledged = load.stop(30_000);
                opcuaWriter.shutdown();
                opcuaWriter.awaitTermination(5, TimeUnit.SECONDS);
                Waits.within(Duration.ofSeconds(60), () -> mqtt.report().missing() == 0 && opcua.report().missing() == 0);

                System.out.printf("kafka outage %d s: MQTT publisher acknowledged %.0f msg/s during it (%d readings), "
                                + "OPC-UA values written during it %d; /health kafka DOWN %d s after the cut (\"%s\"); "
                                + "factory_buffer_records %.0f at the end of the outage (max %.0f)%n",
                        KAFKA_OUTAGE.toSeconds(), outage.ackedPerSecond(), outage.acked(), outage.opcuaWritten(),
                        outage.downAfterS(), outage.downMessage(), outage.bufferedAtEnd(), outage.bufferedMax());
                System.out.printf("after restore: /health kafka UP after %s s; backlog (%d MQTT, %d OPC-UA) drained after %s s; "
                                + "first reading published after the restore in Kafka after %s s; %d MQTT readings published "
                                + "in all (%d republished)%n",
                        kafkaUpAfterS, lastMqttBeforeRestore + 1, lastOpcuaBeforeRestore + 1, drainedAfterS, liveAfterS,
                        published, load.republished());

                assertTrue(outage.ackedPerSecond() >= 1000, "MQTT ingest during the outage below 1,000 msg/s: "
                        + outage.ackedPerSecond());
                assertEquals("DOWN", outage.statusAtEnd(), "/health kafka at the end of the outage");
                assertTrue(outage.downMessage().contains("store-and-forward buffer"), outage.downMessage());
                assertTrue(outage.bufferedMax() > 0, "factory_buffer_records during the outage");
                // the broker holds at most its in-flight window unacknowledged for the hub: the rest the hub took
                assertTrue(outage.bufferedAtEnd() >= 0.9 * outage.acked(), "the hub did not acknowledge readings into its "
                        + "buffer during the outage: " + outage.bufferedAtEnd() + " buffered of " + outage.acked() + " published");
                assertTrue(kafkaUpAfterS != null && kafkaUpAfterS <= 30, "/health kafka UP after the restore: " + kafkaUpAfterS);
                assertEquals(0, backlogLeft, "backlog left after twice the outage");
                assertTrue(liveAfterS != null, "no reading published after the restore reached Kafka");
                assertTrue(allAcknowledged, "the broker did not acknowledge every reading");
                assertLedger(mqtt);
                assertLedger(opcua);
            } finally {
                opcuaWriter.shutdownNow();
                System.out.println(mqtt.report());
                System.out.println(opcua.report());
            }
        }
    }

    /** What was seen of the hub while Kafka was cut. */
    private record Outage(long acked, double ackedPerSecond, long opcuaWritten, long downAfterS, String downMessage,
                          String statusAtEnd, double bufferedAtEnd, double bufferedMax) {
    }

    /** Cuts Kafka for {@link #KAFKA_OUTAGE}, watching /health and /metrics every 2 s. */
    private static Outage cut(KafkaBehindProxy kafka, HubUnderTest hub, SequencedMqttLoad load, AtomicLong opcuaWritten)
            throws Exception {
        long ackedAtCut = load.acknowledged();
        long opcuaAtCut = opcuaWritten.get();
        kafka.cut();
        long cutAt = System.nanoTime();
        long downAfterS = -1;
        String downMessage = "";
        String status = "";
        double buffered = 0;
        double bufferedMax = 0;
        while (System.nanoTime() - cutAt < KAFKA_OUTAGE.toNanos()) {
            JsonNode check = hub.healthCheck("kafka");
            status = check.path("status").asText();
            if (downAfterS < 0 && "DOWN".equals(status)) {
                downAfterS = secondsSince(cutAt);
                downMessage = check.path("message").asText();
            }
            buffered = hub.metric("factory_buffer_records");
            bufferedMax = Math.max(bufferedMax, buffered);
            Thread.sleep(Math.min(2000, Math.max(0, KAFKA_OUTAGE.toMillis() - Duration.ofNanos(System.nanoTime() - cutAt).toMillis())));
        }
        status = hub.healthCheck("kafka").path("status").asText();
        buffered = hub.metric("factory_buffer_records");
        long acked = load.acknowledged() - ackedAtCut;
        return new Outage(acked, acked / (double) KAFKA_OUTAGE.toSeconds(), opcuaWritten.get() - opcuaAtCut, downAfterS,
                downMessage, status, buffered, Math.max(bufferedMax, buffered));
    }

    /** Waits until the hub's MQTT subscription and OPC-UA subscription both deliver. */
    private static void awaitFlowing(KafkaBehindProxy kafka, TestPlant plant, OpcUaMachineServer opcuaServer) throws Exception {
        FlowProbe.awaitMqtt(plant.mqttUrl(), kafka.bootstrapServers(), TELEMETRY, READINGS, Duration.ofSeconds(60));
        FlowProbe.awaitFlowing(kafka.bootstrapServers(), TELEMETRY, "opc-02", Duration.ofSeconds(60),
                value -> opcuaServer.setValue(OPCUA_NODES.get(0), value, Instant.now()));
    }

    /**
     * OPC-UA values of the two variables, keyed per variable (machine and tag). Value {@code seq + 1} stands for
     * {@code seq}: the variables start at 0.0, which a new subscription reports first; probes (negative) not counted.
     */
    private static Optional<LedgerFeed.Entry> opcuaEntry(ConsumerRecord<String, String> record) {
        if (!"opc-02".equals(record.key())) {
            return Optional.empty();
        }
        return MachineReadings.sequence(record).filter(value -> value > 0).map(value -> value - 1)
                .map(seq -> new LedgerFeed.Entry(record.key() + "/" + (seq % OPCUA_NODES.size()), seq));
    }

    private static void assertLedger(SequenceLedger ledger) {
        SequenceLedger.Report report = ledger.report();
        assertEquals(0, report.missing(), report::toString);
        assertEquals(0, report.unexpected(), report::toString);
        assertEquals(0, report.outOfOrder(), report::toString);
        assertTrue(report.duplicates() <= DUPLICATE_BOUND, () -> report + " exceeds the duplicate bound " + DUPLICATE_BOUND);
    }

    /** The seconds after {@code since} at which each watched condition first held; each is asked until it held once. */
    private static final class FirstSeen {
        private final long since;
        private final Map<String, Callable<Boolean>> conditions = new LinkedHashMap<>();
        private final Map<String, Long> seconds = new HashMap<>();

        FirstSeen(long since) {
            this.since = since;
        }

        FirstSeen watch(String name, Callable<Boolean> condition) {
            conditions.put(name, condition);
            return this;
        }

        /** Asks the conditions not seen yet; true once every one was seen. */
        boolean all() throws Exception {
            for (Map.Entry<String, Callable<Boolean>> condition : conditions.entrySet()) {
                if (!seconds.containsKey(condition.getKey()) && condition.getValue().call()) {
                    seconds.put(condition.getKey(), secondsSince(since));
                }
            }
            return seconds.size() == conditions.size();
        }

        /** Null when it was never seen. */
        Long seconds(String name) {
            return seconds.get(name);
        }
    }

    private static long secondsSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toSeconds();
    }
}
