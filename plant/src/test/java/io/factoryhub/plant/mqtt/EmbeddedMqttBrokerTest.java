package io.factoryhub.plant.mqtt;

import io.factoryhub.testkit.FreePorts;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class EmbeddedMqttBrokerTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(EmbeddedMqttBroker.Kind.class)
    void persistentSessionAndQueuedMessagesSurviveRestart(EmbeddedMqttBroker.Kind kind) throws Exception {
        assumeTrue(kind != EmbeddedMqttBroker.Kind.MOSQUITTO || MosquittoBackend.executable() != null,
                "mosquitto not installed");
        int port = FreePorts.next();
        BlockingQueue<String> received = new LinkedBlockingQueue<>();

        try (EmbeddedMqttBroker broker = new EmbeddedMqttBroker(dir, port, kind)) {
            broker.start();
            MqttClient subscriber = persistentSubscriber(broker.serverUri(), received);
            subscriber.subscribe("plant-a/#", 1);
            subscriber.disconnect();
            subscriber.close();

            MqttClient publisher = new MqttClient(broker.serverUri(), "test-pub", new MemoryPersistence());
            publisher.connect();
            for (String value : List.of("1", "2", "3")) {
                publisher.publish("plant-a/line-1/press-01/vibration",
                        new MqttMessage(value.getBytes(StandardCharsets.UTF_8), 1, false, null));
            }
            publisher.disconnect();
            publisher.close();
        }

        try (EmbeddedMqttBroker broker = new EmbeddedMqttBroker(dir, port, kind)) {
            broker.start();
            MqttClient subscriber = persistentSubscriber(broker.serverUri(), received);
            try {
                List<String> got = List.of(poll(received), poll(received), poll(received));
                assertEquals(List.of("1", "2", "3"), got);
            } finally {
                subscriber.disconnect();
                subscriber.close();
            }
        }
    }

    private static MqttClient persistentSubscriber(String uri, BlockingQueue<String> sink) throws Exception {
        MqttClient client = new MqttClient(uri, "test-sub", new MemoryPersistence());
        client.setCallback(new CollectingCallback(sink));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        client.connect(options);
        return client;
    }

    private static String poll(BlockingQueue<String> queue) throws InterruptedException {
        String value = queue.poll(20, TimeUnit.SECONDS);
        return value == null ? "<nothing within 20 s>" : value;
    }
}
