package io.factoryhub.plant.mqtt;

import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What each embedded broker does with an MQTT 5 shared subscription ({@code $share/<group>/<filter>}) when one of two
 * members with persistent sessions goes away holding unacknowledged messages — stopped gracefully (DISCONNECT) or
 * crashed (the connection closed without DISCONNECT, as a killed process's is): who gets its unacknowledged messages,
 * and who gets what is published while it is away. The README's scale-out section states these results; the hub's
 * own behaviour on top of them is {@code MqttSharedSubscriptionTest} in app/.
 *
 * <p>HiveMQ CE keeps one queue per group and sends only to connected members: the leaving member's unacknowledged
 * messages go to the other at once, nothing is kept for it. It reads the queue for a member when the member connects,
 * when it has acknowledged all it was sent, and (for a member with nothing in flight) when the queue goes from empty to
 * one message: so a member holding messages unacknowledged gets no more, and neither does an idle member while those
 * messages keep the queue from running empty. mosquitto 2.0 deals messages round robin to every member of the group,
 * connected or not, into its session: the leaving member keeps its unacknowledged messages and half of what follows,
 * and gets them when it is back.
 */
class SharedSubscriptionBrokerTest {

    private static final String GROUP_FILTER = "shared/+";
    private static final int BATCH = 1000;
    private static final int FIRST_HELD = 10;
    private static final Duration SETTLE = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(EmbeddedMqttBroker.Kind.class)
    void member_that_goes_away_with_unacknowledged_messages(EmbeddedMqttBroker.Kind kind) throws Exception {
        assumeTrue(EmbeddedMqttBroker.available(kind), kind + " not installed");
        try (EmbeddedMqttBroker broker = new EmbeddedMqttBroker(dir, FreePorts.next(), kind)) {
            broker.start();
            for (boolean crash : new boolean[] {false, true}) {
                Outcome outcome = leave(broker, crash ? "crash" : "stop", crash);
                System.out.println(kind + " " + outcome);
                assertEquals(3 * BATCH, outcome.distinct(), "every message reached a member: " + outcome);
                if (kind == EmbeddedMqttBroker.Kind.HIVEMQ) {
                    assertTrue(outcome.held() < FIRST_HELD, "nothing more to a member with messages in flight: " + outcome);
                    assertTrue(outcome.whileHeld() < BATCH / 2, "nor to an idle one while they are in the queue: " + outcome);
                    assertEquals(outcome.held(), outcome.heldToOther(), "the other member got the unacknowledged ones");
                    assertEquals(BATCH, outcome.whileAwayToOther(), "the other member got all published while away");
                    assertEquals(0, outcome.onReturn(), "nothing was kept for the member that left");
                } else {
                    assertEquals(BATCH / 2, outcome.whileHeld(), "round robin, the member away included: " + outcome);
                    assertEquals(0, outcome.heldToOther(), "the unacknowledged ones stayed with the member that left");
                    assertEquals(BATCH / 2, outcome.whileAwayToOther(), "round robin: half went to the member away");
                    assertEquals(outcome.held() + BATCH / 2, outcome.onReturn(), "the member got them back on return");
                }
            }
        }
    }

    /**
     * Both members take {@value #BATCH} messages. Then the leaving member stops acknowledging and takes its share of
     * another {@value #BATCH}: to be sure it holds some on either broker, the first {@value #FIRST_HELD} of them are
     * published while the staying member is disconnected (it acknowledged all it had), the rest once it is back and
     * idle. The leaving member goes away; {@value #BATCH} more are published; then it comes back.
     */
    private Outcome leave(EmbeddedMqttBroker broker, String name, boolean crash) throws Exception {
        String topic = "shared/" + name;
        Member staying = new Member(broker.serverUri(), name + "-staying", name);
        Member leaving = new Member(broker.serverUri(), name + "-leaving", name);
        staying.connect(true);
        leaving.connect(true);
        try (Publisher publisher = new Publisher(broker.serverUri(), name + "-publisher")) {
            publisher.publish(topic, 0, BATCH);
            await(() -> staying.received.size() + leaving.received.size() == BATCH);
            int splitStaying = staying.received.size();
            leaving.acknowledging = false;
            staying.close();
            publisher.publish(topic, BATCH, BATCH + FIRST_HELD);
            await(() -> !leaving.held.isEmpty());
            staying.connect(false);
            Thread.sleep(1000); // the staying member idle, with nothing in flight
            publisher.publish(topic, BATCH + FIRST_HELD, 2 * BATCH);
            Thread.sleep(SETTLE.toMillis());
            Set<String> held = new HashSet<>(leaving.held);
            int whileHeld = staying.received.size() - splitStaying;
            long leftAt = System.nanoTime();
            leaving.leave(crash);
            await(() -> staying.received.containsAll(held));
            long handedOverMs = Duration.ofNanos(System.nanoTime() - leftAt).toMillis();
            publisher.publish(topic, 2 * BATCH, 3 * BATCH);
            Thread.sleep(SETTLE.toMillis());
            int heldToOther = (int) staying.received.stream().filter(held::contains).count();
            int whileAway = (int) staying.received.stream().filter(p -> Integer.parseInt(p) >= 2 * BATCH).count();
            Member back = new Member(broker.serverUri(), leaving.clientId, name);
            back.connect(false);
            Thread.sleep(SETTLE.toMillis());
            List<String> all = new ArrayList<>(staying.received);
            all.addAll(back.received);
            leaving.received.stream().filter(p -> !held.contains(p)).forEach(all::add);
            staying.close();
            back.close();
            return new Outcome(name, splitStaying, BATCH - splitStaying, whileHeld, held.size(), heldToOther, handedOverMs,
                    whileAway, back.received.size(), (int) all.stream().distinct().count(), all.size());
        }
    }

    /**
     * @param whileHeld        of the second batch, what the staying member got while the other held messages unacknowledged
     * @param heldToOther      of the leaving member's unacknowledged messages, how many the staying one got
     * @param handedOverMs     until the staying member had them all (the wait's timeout when it never did)
     * @param whileAwayToOther of the messages published while it was away, how many the staying one got
     * @param onReturn         what the leaving member got when it came back
     */
    record Outcome(String name, int splitStaying, int splitLeaving, int whileHeld, int held, int heldToOther,
                   long handedOverMs, int whileAwayToOther, int onReturn, int distinct, int copies) {
    }

    /** Waits up to {@link #SETTLE} for {@code condition} without failing: the test records what the broker did by then. */
    private static void await(BooleanSupplier condition) {
        Waits.within(SETTLE, Duration.ofMillis(10), condition::getAsBoolean);
    }

    /** A group member with a persistent session that acknowledges (manually, off Paho's thread) until told not to. */
    private static final class Member {
        final String serverUri;
        final String clientId;
        final String group;
        final List<String> received = new CopyOnWriteArrayList<>();
        final List<String> held = new CopyOnWriteArrayList<>();
        final ExecutorService acks = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, "acks");
            thread.setDaemon(true);
            return thread;
        });
        volatile boolean acknowledging = true;
        MqttClient client;

        Member(String serverUri, String clientId, String group) {
            this.serverUri = serverUri;
            this.clientId = clientId;
            this.group = group;
        }

        void connect(boolean subscribe) throws Exception {
            client = new MqttClient(serverUri, clientId, new MemoryPersistence());
            client.setManualAcks(true);
            MqttClient own = client;
            client.setCallback((MessageCallback) (topic, message) -> {
                String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
                received.add(payload);
                if (!acknowledging) {
                    held.add(payload);
                    return;
                }
                acks.execute(() -> {
                    try {
                        own.messageArrivedComplete(message.getId(), message.getQos());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            });
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(false);
            options.setSessionExpiryInterval(3600L);
            client.connect(options);
            if (subscribe) {
                client.subscribe("$share/" + group + "/" + GROUP_FILTER, 1);
            }
        }

        /** A graceful stop sends DISCONNECT; a crash just closes the connection. */
        void leave(boolean crash) throws Exception {
            if (crash) {
                client.disconnectForcibly(0, 0, false);
            } else {
                client.disconnect();
            }
            client.close();
            acks.shutdown();
        }

        /** A graceful disconnect; {@link #connect} resumes the session. */
        void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }

    /** QoS 1 messages whose payload is their number. */
    private static final class Publisher implements AutoCloseable {
        private final MqttClient client;

        Publisher(String serverUri, String clientId) throws Exception {
            client = new MqttClient(serverUri, clientId, new MemoryPersistence());
            client.connect();
        }

        void publish(String topic, int from, int to) throws Exception {
            for (int i = from; i < to; i++) {
                client.publish(topic, new MqttMessage(Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1, false, null));
            }
        }

        @Override
        public void close() throws Exception {
            client.disconnect();
            client.close();
        }
    }
}
