package io.factoryhub.hub.mqtt;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import io.factoryhub.testkit.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code $share/<group>/<filter>} through {@link DurableMqtt5Consumer}, against both real brokers: each message reaches
 * one of the group's two consumers once, with the topic it was published on (how the broker splits them is its own
 * business, printed: mosquitto round robin, HiveMQ to whichever member keeps its queue), and after a restart of the
 * broker on a new data dir, which forgot the sessions, the group delivers again because it subscribed again. A
 * malformed shared subscription is refused when the route starts, naming the property.
 */
class SharedSubscriptionTest {

    private static final String FILTER = "plant-a/line-s/+/vibration";
    private static final String SUBSCRIPTION = "$share/hubs/" + FILTER;
    private static final int MESSAGES = 400;

    @TempDir
    Path brokerDir;

    private EmbeddedMqttBroker broker;
    private CamelContext camel;
    /** Payload -> copies, and per consumer what it got. */
    private final Map<String, AtomicInteger> copies = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> perConsumer = new ConcurrentHashMap<>();
    private final Set<String> wrongTopics = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() {
        if (camel != null) {
            camel.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share", "$share/", "$share/hubs", "$share/hubs/", "$share//plant-a/+", "$share/+/plant-a/#",
            "$share/hu#bs/plant-a/#", "$share/hubs/plant-a/#/x", "$share/hubs/plant-a/a+b", ""})
    void should_refuse_a_malformed_subscription_naming_the_topic_property(String topic) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SubscriptionTopic.parse(topic));
        assertTrue(refused.getMessage().startsWith("property 'topic': '" + topic + "' is not a valid subscription: "),
                refused.getMessage());
    }

    @Test
    void should_refuse_to_start_a_route_on_a_malformed_shared_subscription() throws Exception {
        camel = context();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("paho-mqtt5:$share/hubs?brokerUrl=tcp://127.0.0.1:1&clientId=refused").routeId("refused").to("log:never");
            }
        });
        Exception refused = assertThrows(Exception.class, camel::start);
        assertTrue(causes(refused).contains("property 'topic': '$share/hubs' is not a valid subscription: a shared "
                + "subscription needs a topic filter after its group"), causes(refused));
    }

    @Test
    void should_read_group_and_filter_of_a_shared_subscription() {
        SubscriptionTopic shared = SubscriptionTopic.parse("$share/hubs/plant-a/#");
        assertEquals(new SubscriptionTopic("$share/hubs/plant-a/#", "hubs", "plant-a/#"), shared);
        assertTrue(shared.shared());
        assertEquals(new SubscriptionTopic("plant-a/+/+", null, "plant-a/+/+"), SubscriptionTopic.parse("plant-a/+/+"));
    }

    @ParameterizedTest
    @EnumSource(EmbeddedMqttBroker.Kind.class)
    void should_split_a_shared_subscription_and_deliver_again_after_a_broker_restart(EmbeddedMqttBroker.Kind kind)
            throws Exception {
        assumeTrue(EmbeddedMqttBroker.available(kind), kind + " not installed");
        int port = FreePorts.next();
        broker = new EmbeddedMqttBroker(brokerDir, port, kind);
        broker.start();
        camel = context();
        camel.addRoutes(member("member-a"));
        camel.addRoutes(member("member-b"));
        camel.start();

        publish(0, MESSAGES);
        await().atMost(Duration.ofSeconds(60)).until(() -> copies.size() == MESSAGES);
        int a = perConsumer.get("member-a") == null ? 0 : perConsumer.get("member-a").get();
        int b = perConsumer.get("member-b") == null ? 0 : perConsumer.get("member-b").get();
        System.out.printf("%s: %d messages on %s split %d / %d%n", kind, MESSAGES, SUBSCRIPTION, a, b);
        assertEquals(MESSAGES, a + b, "each message reached one member of the group once");
        assertEquals(Set.of(), wrongTopics, "CamelMqttTopic is the topic the message was published on");

        // a new data dir: the broker forgot sessions and subscriptions, so only subscribing again brings messages
        broker.close();
        broker = new EmbeddedMqttBroker(brokerDir.resolve("restarted"), port, kind);
        broker.start();
        long restartedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            publish(-1, 0); // probes until the group is subscribed again: before that a message reaches nobody
            return copies.containsKey("-1");
        });
        System.out.printf("%s: the group received again %d ms after the restart%n", kind,
                Duration.ofNanos(System.nanoTime() - restartedAt).toMillis());
        publish(MESSAGES, 2 * MESSAGES);
        await().atMost(Duration.ofSeconds(60)).until(() -> copies.size() == 2 * MESSAGES + 1);
        copies.remove("-1");
        assertTrue(copies.values().stream().allMatch(n -> n.get() == 1), "no message twice: " + copies);
        assertEquals(Set.of(), wrongTopics, "CamelMqttTopic is the topic the message was published on");
    }

    private RouteBuilder member(String clientId) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("paho-mqtt5:" + SUBSCRIPTION + "?brokerUrl=" + broker.serverUri() + "&clientId=" + clientId
                        + "&qos=1&cleanStart=false&sessionExpiryInterval=3600&manualAcksEnabled=true"
                        + "&automaticReconnect=true&maxReconnectDelay=1000")
                        .routeId(clientId)
                        .process(exchange -> {
                            String payload = new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8);
                            String topic = exchange.getMessage().getHeader(PahoMqtt5Constants.MQTT_TOPIC, String.class);
                            if (!topic.equals(topicOf(Integer.parseInt(payload)))) {
                                wrongTopics.add(topic);
                            }
                            copies.computeIfAbsent(payload, p -> new AtomicInteger()).incrementAndGet();
                            perConsumer.computeIfAbsent(clientId, c -> new AtomicInteger()).incrementAndGet();
                        });
            }
        };
    }

    /** Publishes messages {@code from} to {@code to} (QoS 1). */
    private void publish(int from, int to) throws Exception {
        MqttClient publisher = new MqttClient(broker.serverUri(), "shared-test-publisher", new MemoryPersistence());
        publisher.connect();
        try {
            for (int i = from; i < to; i++) {
                publisher.publish(topicOf(i), new MqttMessage(Integer.toString(i).getBytes(StandardCharsets.UTF_8), 1, false, null));
            }
        } finally {
            publisher.disconnect();
            publisher.close();
        }
    }

    private static String topicOf(int i) {
        return "plant-a/line-s/machine-" + Math.floorMod(i, 4) + "/vibration";
    }

    private static CamelContext context() {
        CamelContext context = new DefaultCamelContext();
        context.getRegistry().bind(DurableMqtt5Component.NAME, new DurableMqtt5Component(2, 1024 * 1024));
        return context;
    }

    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            text.append(t.getMessage()).append(" <- ");
        }
        return text.toString();
    }
}
