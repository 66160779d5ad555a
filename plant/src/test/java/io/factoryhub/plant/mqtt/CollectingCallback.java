package io.factoryhub.plant.mqtt;

import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.nio.charset.StandardCharsets;
import java.util.Queue;

/** Test callback: puts each payload (as UTF-8) in a queue. */
public record CollectingCallback(Queue<String> sink) implements MessageCallback {

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        sink.add(new String(message.getPayload(), StandardCharsets.UTF_8));
    }
}
