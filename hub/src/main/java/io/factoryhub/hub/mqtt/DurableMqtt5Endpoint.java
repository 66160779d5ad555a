package io.factoryhub.hub.mqtt;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Configuration;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Endpoint;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;

/** A {@code paho-mqtt5} endpoint whose consumer is {@link DurableMqtt5Consumer}; producers are Camel's own. */
final class DurableMqtt5Endpoint extends PahoMqtt5Endpoint {

    DurableMqtt5Endpoint(String uri, String topic, DurableMqtt5Component component, PahoMqtt5Configuration configuration) {
        super(uri, topic, component, configuration);
    }

    /** The topic is checked here, for consumers only: a producer's topic is a topic name, maybe set per message. */
    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        SubscriptionTopic subscription = SubscriptionTopic.parse(getTopic());
        DurableMqtt5Consumer consumer = new DurableMqtt5Consumer(this, processor, subscription,
                ((DurableMqtt5Component) getComponent()).consumerLanes());
        configureConsumer(consumer);
        return consumer;
    }

    MqttConnectionOptions connectionOptions() {
        MqttConnectionOptions options = createMqttConnectionOptions();
        options.setMaximumPacketSize(((DurableMqtt5Component) getComponent()).maximumPacketSize());
        return options;
    }

    /** A new client with the endpoint's id (or a generated one) and persistence. */
    MqttClient newClient() throws MqttException {
        PahoMqtt5Configuration configuration = getConfiguration();
        String clientId = configuration.getClientId() != null ? configuration.getClientId() : generateClientId();
        return new MqttClient(configuration.getBrokerUrl(), clientId, createMqttClientPersistence(configuration));
    }
}
