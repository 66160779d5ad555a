package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.TelemetryPipe;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.faults.FeedLoop;
import io.factoryhub.app.support.faults.FlowProbe;
import io.factoryhub.app.support.faults.LedgerFeed;
import io.factoryhub.app.support.faults.MachineReadings;
import io.factoryhub.app.support.faults.SequenceLedger;
import io.factoryhub.app.support.faults.SequencedMqttLoad;
import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MQTT broker — Debian's mosquitto as a child process of the test, with persistence — stopped for 30 s during
 * ingest at 1,000 msg/s, then started again on the same port and data dir. Machines keep what the broker did not
 * acknowledge and send it once it is back ({@link SequencedMqttLoad}); the hub's durable session (clean start off) is
 * resumed by Paho's automatic reconnect, and the broker redelivers what the hub had not acknowledged.
 *
 * <p>The broker is stopped with SIGTERM, on which mosquitto writes its persistence file (sessions, queued and in-flight
 * messages). A SIGKILLed mosquitto loses what it took since its last autosave ({@code autosave_interval}, 30 s here):
 * that is the broker's durability, not the hub's, and the ledger would count it missing.
 */
class MqttBrokerOutageTest {

    private static final Duration BROKER_DOWN = Duration.ofSeconds(30);
    private static final Duration RESUME_WITHIN = Duration.ofSeconds(30);
    private static final int RATE = 1000;
    private static final String TOPIC = "fault.broker-outage.telemetry";
    private static final MachineReadings READINGS = new MachineReadings("line-b", "bm", 4);
    /** The broker's in-flight window to the hub (max_inflight_messages 1000 in MosquittoBackend): redelivered on resume. */
    private static final int DUPLICATE_BOUND = 1000;

    @TempDir
    Path brokerDir;

    @Test
    void should_resume_ingest_after_the_broker_was_down_for_30_seconds() throws Exception {
        assumeTrue(EmbeddedMqttBroker.available(EmbeddedMqttBroker.Kind.MOSQUITTO), "mosquitto not installed");
        TestPlant plant = TestPlant.shared();
        int port = FreePorts.next();
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(brokerDir, port, EmbeddedMqttBroker.Kind.MOSQUITTO);
        broker.start();
        SequenceLedger ledger = new SequenceLedger("mqtt");
        try (HubUnderTest hub = new HubUnderTest(plant, Map.of("factory.mqtt.broker-url", broker.serverUri()))) {
            TelemetryPipe.write(hub.connectors(), "broker-outage", "mqtt5-source",
                    Map.of("brokerUrl", "{{factory.mqtt.broker-url}}", "topic", READINGS.topicFilter()),
                    Map.of("format", "json", "line", "line-b", "connector", "broker-outage"), TOPIC);
            hub.start();
            FlowProbe.awaitMqtt(broker.serverUri(), plant.bootstrapServers(), TOPIC, READINGS, Duration.ofSeconds(60));
            try (FeedLoop feeds = new FeedLoop(new LedgerFeed(plant.bootstrapServers(), List.of(TOPIC), ledger, READINGS::entry));
                 SequencedMqttLoad load = SequencedMqttLoad.start(broker.serverUri(), "broker-outage-load", RATE, 500,
                         READINGS.load(ledger))) {
                Thread.sleep(5_000);
                long ackedBefore = load.acknowledged();
                broker.close(); // SIGTERM: mosquitto saves sessions and queued messages
                Thread.sleep(BROKER_DOWN.toMillis());
                broker = new EmbeddedMqttBroker(brokerDir, port, EmbeddedMqttBroker.Kind.MOSQUITTO);
                broker.start();
                long backAt = System.nanoTime();
                long firstAfter = load.issued(); // the schedule ran on while the broker was away: this is sent after it

                Long resumedAfterS = Waits.within(RESUME_WITHIN.multipliedBy(2), () -> ledger.receivedFrom(firstAfter))
                        ? Duration.ofNanos(System.nanoTime() - backAt).toSeconds() : null;
                Thread.sleep(5_000);
                boolean allAcknowledged = load.stop(60_000);
                Waits.within(Duration.ofSeconds(60), () -> ledger.report().missing() == 0);
                System.out.printf("mosquitto down %d s (SIGTERM, restarted on the same port and data dir): %d readings "
                                + "acknowledged before, %d published again by the machines; a reading published after the "
                                + "restart in Kafka %s s after it%n",
                        BROKER_DOWN.toSeconds(), ackedBefore, load.republished(), resumedAfterS);

                assertTrue(ackedBefore > 0, "nothing was published before the broker stopped");
                assertTrue(resumedAfterS != null && resumedAfterS <= RESUME_WITHIN.toSeconds(),
                        "ingest did not resume within " + RESUME_WITHIN + " of the broker being back: " + resumedAfterS);
                assertTrue(allAcknowledged, "the broker did not acknowledge every reading after its restart");
                SequenceLedger.Report report = ledger.report();
                assertEquals(0, report.missing(), report::toString);
                assertEquals(0, report.unexpected(), report::toString);
                assertEquals(0, report.outOfOrder(), report::toString);
                assertTrue(report.duplicates() <= DUPLICATE_BOUND + load.republished(),
                        () -> report + " exceeds the duplicate bound " + DUPLICATE_BOUND + " + republished");
            } finally {
                System.out.println(ledger.report());
            }
        } finally {
            broker.close();
        }
    }
}
