package io.factoryhub.hub.mqtt;

import io.factoryhub.hub.support.OrderedLanes;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5 consumer for durable sessions with manual acknowledgements: a message is acknowledged (PUBACK) only when
 * its exchange completed, and never lost across a restart.
 *
 * <p>Why not Camel's own consumer (4.17): it sets its callback only after {@code connect()}. A durable session
 * delivers the queued and the unacknowledged messages right after CONNACK; Paho drops those that arrive before a
 * callback exists <em>without</em> acknowledging them, so they sit in the broker's in-flight window until it is
 * full and the session stalls (seen after a stop with messages in flight). Here the callback is set first. On
 * stop, Camel suspends this consumer (no new exchanges; what arrives stays unacknowledged and is redelivered in
 * the next session), drains the in-flight exchanges while the client is still connected so their acks go out, and
 * only then disconnects.
 *
 * <p>Messages leave Paho's callback thread at once, onto ordered lanes keyed by MQTT topic: a topic's messages
 * keep their order (one machine's tag), topics run in parallel, and Paho's thread — which also completes SUBACKs —
 * never waits for a route that is still starting.
 */
final class DurableMqtt5Consumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableMqtt5Consumer.class);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger ignored = new AtomicInteger();
    private final int laneCount;
    private volatile MqttClient client;
    private volatile OrderedLanes lanes;
    private volatile boolean accepting;

    DurableMqtt5Consumer(DurableMqtt5Endpoint endpoint, Processor processor, int laneCount) {
        super(endpoint, processor);
        this.laneCount = laneCount;
    }

    @Override
    public DurableMqtt5Endpoint getEndpoint() {
        return (DurableMqtt5Endpoint) super.getEndpoint();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        accepting = true;
        // the broker sends at most receive-maximum (65535) unacknowledged messages: the lanes never fill up
        lanes = new OrderedLanes("mqtt-" + getRouteId(), laneCount, 65_535, -1);
        if (client == null) {
            MqttClient created = getEndpoint().newClient();
            created.setManualAcks(getEndpoint().getConfiguration().isManualAcksEnabled());
            created.setCallback(new Callback(created));
            IMqttToken connected = created.connectWithResult(getEndpoint().connectionOptions());
            LOG.info("MQTT consumer {} connected to {} (session present: {})", created.getClientId(),
                    getEndpoint().getConfiguration().getBrokerUrl(), connected.getSessionPresent());
            client = created;
        }
        subscribe(client);
    }

    @Override
    protected void doResume() throws Exception {
        accepting = true;
        super.doResume();
    }

    @Override
    protected void doSuspend() throws Exception {
        accepting = false;
        super.doSuspend();
    }

    @Override
    protected void doStop() throws Exception {
        accepting = false;
        super.doStop();
        MqttClient stopping = client;
        client = null;
        if (lanes != null) {
            lanes.stop(); // queued messages stay unacknowledged: redelivered in the next session
            lanes = null;
        }
        if (stopping != null) {
            LOG.info("MQTT consumer {} stops after {} messages, {} of them unacknowledged (the broker redelivers those)",
                    stopping.getClientId(), arrived.get(), inFlight.get() + ignored.get());
            if (stopping.isConnected()) {
                if (getEndpoint().getConfiguration().isCleanStart()) {
                    stopping.unsubscribe(getEndpoint().getTopic());
                }
                stopping.disconnect();
            }
            stopping.close();
        }
    }

    private void subscribe(MqttClient target) throws MqttException {
        target.subscribe(getEndpoint().getTopic(), getEndpoint().getConfiguration().getQos());
    }

    private Exchange createExchange(MqttClient source, String topic, MqttMessage message) {
        Exchange exchange = createExchange(true);
        PahoMqtt5Message in = new PahoMqtt5Message(exchange.getContext(), message);
        in.setBody(message.getPayload());
        in.setHeader(PahoMqtt5Constants.MQTT_TOPIC, topic);
        in.setHeader(PahoMqtt5Constants.MQTT_QOS, message.getQos());
        in.setHeader(PahoMqtt5Constants.CAMEL_PAHO_MSG_PROPERTIES, message.getProperties());
        exchange.setIn(in);
        inFlight.incrementAndGet();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange completed) {
                inFlight.decrementAndGet();
                acknowledge(source, message);
            }

            @Override
            public void onFailure(Exchange failed) {
                // not acknowledged: the broker redelivers it in the next session
                inFlight.decrementAndGet();
                LOG.debug("MQTT message {} not acknowledged: exchange {} failed", message.getId(), failed.getExchangeId());
            }
        });
        return exchange;
    }

    private void acknowledge(MqttClient source, MqttMessage message) {
        if (!getEndpoint().getConfiguration().isManualAcksEnabled() || !source.isConnected()) {
            return; // a lost connection: the message stays unacknowledged and is redelivered
        }
        try {
            source.messageArrivedComplete(message.getId(), message.getQos());
        } catch (MqttException e) {
            LOG.warn("MQTT message {} could not be acknowledged ({}); the broker redelivers it", message.getId(), e.getMessage());
        }
    }

    /** Bound to one client, so a late acknowledgement never goes to the client of a later session. */
    private final class Callback implements MqttCallback {
        private final MqttClient owner;

        Callback(MqttClient owner) {
            this.owner = owner;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            arrived.incrementAndGet();
            OrderedLanes current = lanes;
            if (current == null) {
                ignored.incrementAndGet();
                return;
            }
            current.submit(topic.hashCode(), () -> process(topic, message));
        }

        private void process(String topic, MqttMessage message) {
            if (!accepting) {
                ignored.incrementAndGet();
                return; // suspended or stopping: left unacknowledged, redelivered in the next session
            }
            Exchange exchange = createExchange(owner, topic, message);
            getAsyncProcessor().process(exchange, defaultConsumerCallback(exchange, true));
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            if (reconnect) {
                try {
                    subscribe(owner);
                } catch (MqttException e) {
                    LOG.error("MQTT resubscribe to {} failed: {}", getEndpoint().getTopic(), e.getMessage(), e);
                }
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warn("MQTT consumer {} disconnected by the broker: {}", owner.getClientId(), response.getReasonString(),
                    response.getException());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT consumer {}: {}", owner.getClientId(), exception.getMessage(), exception);
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // consumers do not publish
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            LOG.debug("MQTT auth packet {} {}", reasonCode, properties);
        }
    }
}
