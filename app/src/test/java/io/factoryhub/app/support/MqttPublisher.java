package io.factoryhub.app.support;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;

/** A plain Paho v5 client publishing QoS 1, as a machine on the shop floor would. */
public final class MqttPublisher implements AutoCloseable {

    private final MqttClient client;

    public MqttPublisher(String brokerUrl) throws MqttException {
        client = new MqttClient(brokerUrl, "test-publisher-" + UUID.randomUUID(), new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
    }

    public void publish(String topic, String payload) throws MqttException {
        publish(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    public void publish(String topic, byte[] payload) throws MqttException {
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        client.publish(topic, message);
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
