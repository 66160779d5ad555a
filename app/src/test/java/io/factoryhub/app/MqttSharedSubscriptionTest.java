package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.HubInstance;
import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.TelemetryPipe;
import io.factoryhub.app.support.TestPlant;
import io.factoryhub.app.support.faults.FeedLoop;
import io.factoryhub.app.support.faults.FlowProbe;
import io.factoryhub.app.support.faults.LedgerFeed;
import io.factoryhub.app.support.faults.MachineReadings;
import io.factoryhub.app.support.faults.SequenceLedger;
import io.factoryhub.app.support.faults.SequencedMqttLoad;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.reload.RouteFileLoader;
import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out on MQTT's own mechanism: two hubs, each a JVM of its own ({@link HubInstance}) with its own
 * {@code factory.instance-id} (hence MQTT client id), data dir and buffer, run the same Pipe whose {@code mqtt5-source}
 * subscribes to {@code $share/hubs/<filter>}; machines publish sequenced readings at 1,000/s (QoS 1) and a ledger counts
 * what reaches the real Kafka. Each hub must get a share, and every reading the broker acknowledged must arrive when
 * one hub is stopped gracefully and when one is killed (SIGKILL) mid-stream — but the brokers differ in who gets a
 * stopped member's messages, and the test asserts what each does:
 *
 * <ul>
 *   <li>HiveMQ CE (the test plant's broker) keeps one queue per group: messages go to connected members only, and
 *       what a member had not acknowledged when it went away goes back to the group. Nothing waits for a stopped hub,
 *       except what a killed one had acknowledged and not yet forwarded from its buffer (on its disk until it starts).
 *       It reads the queue for a member that has acknowledged all it was sent, so the hub with messages in flight
 *       keeps a steady 1,000/s stream to itself (printed); a 20/s trickle, each reading acknowledged before the next,
 *       is split, and that is where each hub's share is asserted.
 *   <li>mosquitto 2.0 deals the messages round robin among all members, connected or not: a stopped hub's share,
 *       and what it had in flight, is queued in its session and delivered when it is back — about half of what is
 *       published while it is away waits for it.
 * </ul>
 *
 * <p>Per machine order holds within one hub, not across a group: two hubs forward a machine's readings side by side,
 * so out-of-order first copies are counted and printed, not asserted.
 */
class MqttSharedSubscriptionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 1000;
    /** Slow enough that a hub has acknowledged each reading before the next one comes. */
    private static final int TRICKLE_RATE = 20;
    private static final String TELEMETRY = "factory.machine.telemetry";
    private static final String PIPE = "shared-line";
    private static final String PIPE_NAMED = "shared-named";
    /** A Pipe is one route, named after it. */
    private static final String ROUTE = PIPE;
    private static final String EVENTS = "factory_connector_events_total";
    private static final Duration STEADY = Duration.ofSeconds(10);
    private static final Duration HUB_START = Duration.ofSeconds(120);
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    /** Done twice by a kill: the batch sent but not trimmed, and the broker's in-flight window (1000) redelivered. */
    private static final int DUPLICATE_BOUND_PER_KILL = HubConfig.defaults().getInt("factory.buffer.batch-records") + 1000;

    @TempDir
    Path brokerDir;

    @Test
    void should_split_a_shared_subscription_between_two_hubs_on_hivemq_and_lose_nothing_when_one_stops() throws Exception {
        TestPlant plant = TestPlant.shared();
        MachineReadings trickle = new MachineReadings("line-sh", "sht", 2);
        MachineReadings stream = new MachineReadings("line-sh", "shm", 4);
        SequenceLedger trickleLedger = new SequenceLedger("mqtt trickle");
        SequenceLedger ledger = new SequenceLedger("mqtt");
        Set<String> sources = ConcurrentHashMap.newKeySet();
        try (HubInstance a = hub(plant, "hub-a", plant.mqttUrl(), stream);
             HubInstance b = hub(plant, "hub-b", plant.mqttUrl(), stream);
             FeedLoop feeds = new FeedLoop(
                     new LedgerFeed(plant.bootstrapServers(), List.of(TELEMETRY), trickleLedger, trickle::entry),
                     new LedgerFeed(plant.bootstrapServers(), List.of(TELEMETRY), ledger, record -> {
                         Optional<LedgerFeed.Entry> entry = stream.entry(record);
                         entry.ifPresent(counted -> sources.add(addressAndTag(record.value())));
                         return entry;
                     }))) {
            startBoth(a, b, plant.mqttUrl(), stream);

            // a trickle, each reading acknowledged before the next comes: HiveMQ picks a member at random each time
            Shares beforeTrickle = Shares.of(a, b);
            try (SequencedMqttLoad load = SequencedMqttLoad.start(plant.mqttUrl(), "shared-hivemq-trickle", TRICKLE_RATE, 10,
                    trickle.load(trickleLedger))) {
                Thread.sleep(STEADY.toMillis());
                assertTrue(load.stop(30_000), "the broker did not acknowledge every reading");
            }
            Waits.within(CATCH_UP, () -> trickleLedger.report().missing() == 0);
            Shares trickleShares = Shares.of(a, b).minus(beforeTrickle);
            System.out.println("HiveMQ, both hubs, " + TRICKLE_RATE + " readings/s for " + STEADY.toSeconds() + " s: "
                    + trickleShares + "; " + trickleLedger.report());

            try (SequencedMqttLoad load = SequencedMqttLoad.start(plant.mqttUrl(), "shared-hivemq-load", RATE, 500,
                    stream.load(ledger))) {
                // a stream faster than one hub acknowledges: the member with messages in flight keeps the group's queue
                Shares before = Shares.of(a, b);
                Thread.sleep(STEADY.toMillis());
                Shares steady = Shares.of(a, b).minus(before);
                System.out.println("HiveMQ, both hubs, " + RATE + " readings/s for " + STEADY.toSeconds() + " s: " + steady);

                // B stops gracefully: A alone takes the group's messages; everything arrives without B coming back
                long stopIssued = load.issued();
                long stopAt = System.nanoTime();
                b.stop();
                long stopMs = millisSince(stopAt);
                Thread.sleep(STEADY.toMillis());
                long issuedWhileAway = load.issued();
                boolean allWithoutB = Waits.within(CATCH_UP, () -> ledger.missingThrough(issuedWhileAway - 1) == 0);
                System.out.printf("HiveMQ, hub-b stopped gracefully at reading %d (its JVM was gone %d ms after SIGTERM): "
                        + "every reading up to %d in Kafka without hub-b: %s%n", stopIssued, stopMs, issuedWhileAway, allWithoutB);

                // B back, then A killed: B alone; only what A had acknowledged and not yet forwarded waits on A's disk
                b.start(ROUTE, HUB_START);
                Thread.sleep(STEADY.toMillis());
                double aBeforeKill = a.metric(EVENTS);
                long killIssued = load.issued();
                a.kill();
                long killedAt = System.nanoTime();
                Thread.sleep(STEADY.toMillis());
                long issuedAfterKill = load.issued();
                boolean bTookOver = Waits.within(CATCH_UP, () -> ledger.missingThrough(issuedAfterKill - 1)
                        == ledger.missingThrough(killIssued - 1));
                int waitingForA = ledger.missingThrough(issuedAfterKill - 1);
                System.out.printf("HiveMQ, hub-a (%.0f events) killed at reading %d: hub-b delivered everything published "
                                + "after the kill: %s; %d reading(s) missing until hub-a starts again (%d s after the kill)%n",
                        aBeforeKill, killIssued, bTookOver, waitingForA, Duration.ofNanos(System.nanoTime() - killedAt).toSeconds());
                long restartAt = System.nanoTime();
                a.start(ROUTE, HUB_START);
                assertTrue(load.stop(60_000), "the broker did not acknowledge every reading");
                boolean complete = Waits.within(CATCH_UP, () -> ledger.report().missing() == 0);
                System.out.printf("HiveMQ: hub-a restarted, every reading in Kafka %d s after its start began: %s%n",
                        Duration.ofNanos(System.nanoTime() - restartAt).toSeconds(), complete);

                assertEquals(Set.of("plant-a/line-sh/shm-1/vibration vibration", "plant-a/line-sh/shm-2/vibration vibration",
                        "plant-a/line-sh/shm-3/vibration vibration", "plant-a/line-sh/shm-4/vibration vibration"), sources,
                        "source.address is the topic the machine published on, tag its last segment");
                assertEquals(0, trickleLedger.report().missing(), trickleLedger.report()::toString);
                assertTrue(trickleShares.a() > 0 && trickleShares.b() > 0, "each hub got a share of the trickle: " + trickleShares);
                assertTrue(allWithoutB, "hub-a alone delivered everything after hub-b stopped: " + ledger.report());
                assertTrue(bTookOver, "hub-b delivered what was published after hub-a was killed: " + ledger.report());
                assertTrue(waitingForA <= DUPLICATE_BOUND_PER_KILL, "only hub-a's buffer waits for hub-a: " + waitingForA);
                assertComplete(ledger.report(), DUPLICATE_BOUND_PER_KILL);
            } finally {
                System.out.println(ledger.report());
            }
        }
    }

    @Test
    void should_keep_a_stopped_hubs_share_for_it_on_mosquitto_and_lose_nothing_once_it_is_back() throws Exception {
        assumeTrue(EmbeddedMqttBroker.available(EmbeddedMqttBroker.Kind.MOSQUITTO), "mosquitto not installed");
        TestPlant plant = TestPlant.shared();
        MachineReadings readings = new MachineReadings("line-sm", "smm", 4);
        SequenceLedger ledger = new SequenceLedger("mqtt");
        try (EmbeddedMqttBroker broker = new EmbeddedMqttBroker(brokerDir, FreePorts.next(), EmbeddedMqttBroker.Kind.MOSQUITTO)) {
            broker.start();
            try (HubInstance a = hub(plant, "hub-a", broker.serverUri(), readings);
                 HubInstance b = hub(plant, "hub-b", broker.serverUri(), readings)) {
                startBoth(a, b, broker.serverUri(), readings);
                try (FeedLoop feeds = new FeedLoop(new LedgerFeed(plant.bootstrapServers(), List.of(TELEMETRY), ledger, readings::entry));
                     SequencedMqttLoad load = SequencedMqttLoad.start(broker.serverUri(), "shared-mosquitto-load", RATE, 500,
                             readings.load(ledger))) {
                    Shares before = Shares.of(a, b);
                    Thread.sleep(STEADY.toMillis());
                    Shares steady = Shares.of(a, b).minus(before);
                    System.out.println("mosquitto, both hubs for " + STEADY.toSeconds() + " s: " + steady);

                    // B stops gracefully: its share of what follows waits in its session
                    long stopIssued = load.issued();
                    b.stop();
                    Thread.sleep(STEADY.toMillis());
                    long issuedWhileAway = load.issued();
                    Thread.sleep(5_000); // what hub-a got is in Kafka by now
                    int waitingForB = ledger.missingThrough(issuedWhileAway - 1);
                    long publishedWhileAway = issuedWhileAway - stopIssued;
                    System.out.printf("mosquitto, hub-b stopped gracefully at reading %d: of %d readings published while "
                            + "it was away, %d wait for it (%.0f %%)%n", stopIssued, publishedWhileAway, waitingForB,
                            100.0 * waitingForB / publishedWhileAway);
                    long backAt = System.nanoTime();
                    b.start(ROUTE, HUB_START);
                    boolean deliveredByB = Waits.within(CATCH_UP, () -> ledger.missingThrough(issuedWhileAway - 1) == 0);
                    System.out.printf("mosquitto, hub-b back: what waited for it in Kafka %d s after its start began: %s%n",
                            Duration.ofNanos(System.nanoTime() - backAt).toSeconds(), deliveredByB);

                    // B killed: what it had in flight and its share stay in its session until it is back
                    Thread.sleep(STEADY.toMillis());
                    long killIssued = load.issued();
                    b.kill();
                    Thread.sleep(STEADY.toMillis());
                    int waitingAfterKill = ledger.missingThrough(load.issued() - 1);
                    long restartAt = System.nanoTime();
                    b.start(ROUTE, HUB_START);
                    assertTrue(load.stop(60_000), "the broker did not acknowledge every reading");
                    boolean complete = Waits.within(CATCH_UP, () -> ledger.report().missing() == 0);
                    System.out.printf("mosquitto, hub-b killed at reading %d: %d readings waited for it; restarted, every "
                                    + "reading in Kafka %d s later: %s%n", killIssued, waitingAfterKill,
                            Duration.ofNanos(System.nanoTime() - restartAt).toSeconds(), complete);

                    assertTrue(steady.a() > 0 && steady.b() > 0, "each hub got a share: " + steady);
                    // how much depends on how long hub-b's graceful stop went on taking its share, so no fraction
                    assertTrue(waitingForB > 0,
                            "mosquitto keeps dealing a stopped member its share: " + waitingForB + " of " + publishedWhileAway);
                    assertTrue(deliveredByB, "hub-b delivered its share once back: " + ledger.report());
                    assertComplete(ledger.report(), DUPLICATE_BOUND_PER_KILL);
                } finally {
                    System.out.println(ledger.report());
                }
            }
        }
    }

    @Test
    void should_start_each_instances_client_id_with_its_instance_id() throws Exception {
        try (HubUnderTest hub = new HubUnderTest(TestPlant.shared(), Map.of("factory.instance-id", "hub-x"))) {
            TelemetryPipe.write(hub.connectors(), PIPE_NAMED, "mqtt5-source",
                    Map.of("brokerUrl", "{{factory.mqtt.broker-url}}", "topic", "$share/hubs/plant-a/line-named/+/+"),
                    Map.of("format", "json"), TELEMETRY);
            hub.start();
            Waits.within(HUB_START, () -> hub.runtime().context().getRoute(PIPE_NAMED) != null);
            List<String> clientIds = hub.runtime().context().getEndpoints().stream()
                    .filter(PahoMqtt5Endpoint.class::isInstance)
                    .map(endpoint -> ((PahoMqtt5Endpoint) endpoint).getConfiguration().getClientId())
                    .toList();
            assertEquals(List.of("hub-x-" + PIPE_NAMED), clientIds, "the default clientId, <factory.instance-id>-<pipe name>");
        }
    }

    @Test
    void should_refuse_a_pipe_with_a_malformed_shared_subscription_naming_the_property() throws Exception {
        try (HubUnderTest hub = new HubUnderTest(TestPlant.shared())) {
            hub.start();
            Path outside = Files.createTempDirectory("shared-refused");
            for (String topic : List.of("$share/hubs", "$share//plant-a/+/+", "$share/hu+bs/plant-a/+/+")) {
                TelemetryPipe.write(outside, "shared-refused", "mqtt5-source",
                        Map.of("brokerUrl", "{{factory.mqtt.broker-url}}", "topic", topic),
                        Map.of("format", "json", "connector", "shared-refused"), TELEMETRY);
                RouteFileLoader.Result result = hub.runtime().loader().load(outside.resolve("shared-refused.pipe.yaml"));
                System.out.println("refused: " + result.problems());
                assertEquals(false, result.loaded(), topic + " refused");
                assertTrue(result.problems().toString().contains("property 'topic': '" + topic + "' does not match the regex pattern"),
                        result.problems().toString());
            }
        }
    }

    /** Per hub, the events it produced so far. */
    private record Shares(double a, double b) {
        static Shares of(HubInstance a, HubInstance b) {
            return new Shares(a.metric(EVENTS), b.metric(EVENTS));
        }

        Shares minus(Shares earlier) {
            return new Shares(a - earlier.a, b - earlier.b);
        }

        @Override
        public String toString() {
            return String.format("hub-a %.0f events, hub-b %.0f events", a, b);
        }
    }

    private static void assertComplete(SequenceLedger.Report report, int duplicateBound) {
        assertEquals(0, report.missing(), report::toString);
        assertEquals(0, report.unexpected(), report::toString);
        assertTrue(report.duplicates() <= duplicateBound, () -> report + " exceeds the duplicate bound " + duplicateBound);
    }

    /** A hub with the Pipe every instance runs: the same file, only factory.instance-id differs. */
    private static HubInstance hub(TestPlant plant, String instanceId, String brokerUrl, MachineReadings readings)
            throws Exception {
        HubInstance hub = new HubInstance(plant, instanceId, Map.of("factory.mqtt.broker-url", brokerUrl));
        TelemetryPipe.write(hub.connectors(), PIPE, "mqtt5-source",
                Map.of("brokerUrl", "{{factory.mqtt.broker-url}}", "topic", "$share/hubs/" + readings.topicFilter()),
                Map.of("format", "json", "line", "line-shared", "connector", PIPE), TELEMETRY);
        return hub;
    }

    /** Both hubs subscribed, and readings flowing through the group into Kafka. */
    private static void startBoth(HubInstance a, HubInstance b, String brokerUrl, MachineReadings readings) throws Exception {
        a.start(ROUTE, HUB_START);
        b.start(ROUTE, HUB_START);
        FlowProbe.awaitMqtt(brokerUrl, TestPlant.shared().bootstrapServers(), TELEMETRY, readings, HUB_START);
    }

    /** An event's {@code source.address} and {@code tag}. */
    private static String addressAndTag(String event) {
        try {
            JsonNode json = JSON.readTree(event);
            return json.path("source").path("address").asText() + " " + json.path("tag").asText();
        } catch (IOException e) {
            return "unreadable: " + event;
        }
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }
}
