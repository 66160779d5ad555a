package io.factoryhub.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.ChildJvm;
import io.factoryhub.app.support.HubProcess;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The hub in a child JVM ({@link HubProcess}) killed with SIGKILL — no shutdown hook, no drain, no close of the buffer
 * — while machines publish 1,000 readings/s over MQTT (QoS 1, the test plant's HiveMQ), then started again on the same
 * data dir. Nothing the broker acknowledged to the machines may be lost: what the hub had acknowledged is in its
 * store-and-forward buffer on disk, the rest waits unacknowledged in its durable session.
 *
 * <p>One hub, two kills: (a) during ingest with Kafka up; (b) while the buffer holds readings (Kafka cut), restarted
 * with Kafka back. Duplicates per kill are bounded by what was done twice: the batch the forwarder had sent but not yet
 * trimmed from the log (factory.buffer.batch-records) and the messages stored in the buffer whose PUBACK had not reached
 * the broker, at most the broker's in-flight window to the hub (HiveMqBackend.IN_FLIGHT_WINDOW, 1000), which it
 * redelivers.
 */
class HubCrashTest {

    private static final int RATE = 1000;
    private static final String TELEMETRY = "factory.machine.telemetry";
    private static final int DUPLICATE_BOUND_PER_KILL = HubConfig.defaults().getInt("factory.buffer.batch-records") + 1000;
    /** Readings the buffer is to hold when the hub is killed during the Kafka outage. */
    private static final int BUFFERED_AT_KILL = 5_000;
    private static final Duration CUT_BEFORE_KILL = Duration.ofSeconds(5);
    private static final Duration HUB_START = Duration.ofSeconds(120);
    private static final Duration POLL = Duration.ofMillis(100);

    @Test
    void should_lose_no_acknowledged_reading_when_killed_during_ingest_and_while_its_buffer_holds_data() throws Exception {
        MachineReadings readings = new MachineReadings("line-k", "km", 4);
        SequenceLedger ledger = new SequenceLedger("mqtt");
        try (KafkaBehindProxy kafka = KafkaBehindProxy.start();
             CrashableHub hub = new CrashableHub(kafka, "crash", readings)) {
            hub.start();
            try (FeedLoop feeds = new FeedLoop(new LedgerFeed(kafka.bootstrapServers(), List.of(TELEMETRY), ledger, readings::entry));
                 SequencedMqttLoad load = SequencedMqttLoad.start(TestPlant.shared().mqttUrl(), "crash-load", RATE, 500,
                         readings.load(ledger))) {
                Thread.sleep(5_000);
                killDuringIngest(hub, load, ledger);
                System.out.println("after the first kill: " + ledger.report());
                killWhileBuffering(kafka, hub, load, ledger);
                Thread.sleep(3_000);
                assertTrue(load.stop(30_000), "the broker did not acknowledge every reading");
                await().atMost(Duration.ofSeconds(60)).pollInterval(POLL).until(() -> ledger.report().missing() == 0);
                SequenceLedger.Report report = ledger.report();
                assertEquals(0, report.missing(), report::toString);
                assertEquals(0, report.unexpected(), report::toString);
                assertEquals(0, report.outOfOrder(), report::toString);
                assertTrue(report.duplicates() <= 2 * DUPLICATE_BOUND_PER_KILL,
                        () -> report + " exceeds the duplicate bound of two kills, " + 2 * DUPLICATE_BOUND_PER_KILL);
            } finally {
                System.out.println(ledger.report());
            }
        }
    }

    /** (a) Kafka up: kill -9 in the middle of ingest, start again at once; what was published before is all in Kafka. */
    private static void killDuringIngest(CrashableHub hub, SequencedMqttLoad load, SequenceLedger ledger) throws Exception {
        hub.kill();
        long ackedAtKill = load.acknowledged();
        long restartedAt = System.nanoTime();
        long startS = hub.start();
        long issuedAtRestart = load.issued();
        await().atMost(Duration.ofSeconds(60)).pollInterval(POLL)
                .until(() -> ledger.receivedFrom(issuedAtRestart) && ledger.missingThrough(issuedAtRestart - 1) == 0);
        System.out.printf("hub killed during ingest after %d readings acknowledged by the broker; the restarted hub "
                        + "delivered after %d s, every reading published before and readings published after its start in "
                        + "Kafka %d s after the restart began%n", ackedAtKill, startS, secondsSince(restartedAt));
    }

    /** (b) Kafka cut until the buffer holds readings, kill -9, Kafka back, start again: what the buffer held is sent. */
    private static void killWhileBuffering(KafkaBehindProxy kafka, CrashableHub hub, SequencedMqttLoad load,
                                           SequenceLedger ledger) throws Exception {
        kafka.cut();
        long cutAt = System.nanoTime();
        Thread.sleep(CUT_BEFORE_KILL.toMillis()); // readings accepted while Kafka is away, not only a backlog from before
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> hub.buffered() >= BUFFERED_AT_KILL);
        double bufferedAtKill = hub.buffered();
        long bufferedAfterS = secondsSince(cutAt);
        long issuedAtKill = load.issued();
        hub.kill();
        kafka.restore();
        long restartedAt = System.nanoTime();
        long startS = hub.start();
        await().atMost(Duration.ofSeconds(120)).pollInterval(POLL).until(() -> ledger.missingThrough(issuedAtKill - 1) == 0);
        System.out.printf("hub killed with %.0f readings in its buffer, %d s after Kafka was cut; restarted with Kafka "
                + "back, delivering after %d s: every reading published before the kill in Kafka %d s after the "
                + "restart began%n", bufferedAtKill, bufferedAfterS, startS, secondsSince(restartedAt));
    }

    private static long secondsSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toSeconds();
    }

    /**
     * A hub home with one MQTT Pipe for {@code readings}, run in a child JVM that can be killed and started again on the
     * same configuration file, hence the same data dir.
     */
    private static final class CrashableHub implements AutoCloseable {
        private final HubUnderTest home;
        private final KafkaBehindProxy kafka;
        private final MachineReadings readings;
        private final Path configFile;
        private final Path log;
        private ChildJvm process;

        CrashableHub(KafkaBehindProxy kafka, String name, MachineReadings readings) throws Exception {
            this.kafka = kafka;
            this.readings = readings;
            this.home = new HubUnderTest(TestPlant.shared(), Map.of("factory.kafka.bootstrap-servers", kafka.bootstrapServers()));
            TelemetryPipe.write(home.connectors(), name, "mqtt5-source",
                    Map.of("brokerUrl", "{{factory.mqtt.broker-url}}", "topic", readings.topicFilter()),
                    Map.of("format", "json", "line", name, "connector", name), TELEMETRY);
            this.configFile = home.connectors().resolveSibling("hub.properties");
            this.log = home.connectors().resolveSibling("hub.log");
        }

        /** Starts the hub's JVM and waits until its Pipe delivers; returns the seconds that took. */
        long start() throws Exception {
            process = HubProcess.start(home.config(), configFile, log);
            try {
                return FlowProbe.awaitMqtt(TestPlant.shared().mqttUrl(), kafka.bootstrapServers(), TELEMETRY, readings, HUB_START);
            } catch (AssertionError e) {
                throw new AssertionError("the hub did not deliver; its log: " + log, e);
            }
        }

        void kill() throws InterruptedException {
            process.kill();
        }

        /** factory_buffer_records of the running hub; 0 while it does not answer. */
        double buffered() {
            try {
                return home.metric("factory_buffer_records");
            } catch (Exception e) {
                return 0;
            }
        }

        @Override
        public void close() throws InterruptedException {
            if (process != null) {
                process.close();
            }
        }
    }
}
