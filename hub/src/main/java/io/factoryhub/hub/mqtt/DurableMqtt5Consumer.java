package io.factoryhub.hub.mqtt;

import io.factoryhub.hub.buffer.BufferUnavailableException;
import io.factoryhub.hub.health.ConnectorProgress;
import io.factoryhub.hub.support.OrderedLanes;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Suspendable;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Constants;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Message;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.util.ObjectHelper;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttReturnCode;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT 5 consumer for durable sessions with manual acknowledgements: a message is acknowledged (PUBACK) only when
 * its exchange completed — its event is in the store-and-forward buffer or in the dead-letter topic — and never lost
 * across a restart.
 *
 * <p>Why not Camel's own consumer (4.17): it sets its callback only after {@code connect()}. A durable session
 * delivers the queued and the unacknowledged messages right after CONNACK; Paho drops those that arrive before a
 * callback exists <em>without</em> acknowledging them, so they sit in the broker's in-flight window until it is
 * full and the session stalls (seen after a stop with messages in flight). Here the callback is set first. On
 * stop, Camel suspends this consumer (no new exchanges; what arrives stays unacknowledged and is redelivered in
 * the next session), drains the in-flight exchanges while the client is still connected so their acks go out, and
 * only then disconnects.
 *
 * <p>No message is left without a way forward. An exchange that fails because of its message (anything thrown past
 * the normalizer) sends the original payload to the dead-letter flow with the reason, and is acknowledged once the
 * dead letter is stored. One that fails because the hub cannot take it now (the buffer is full or its disk failed)
 * puts the session on hold: later messages are left unacknowledged too, so nothing overtakes the first, and after a
 * back-off (1 s doubling to 30 s) the consumer reconnects; MQTT 5 brokers redeliver every unacknowledged message of a
 * resumed session, in order, only on a new connection — without that reconnect the receive window stays full for ever.
 *
 * <p>Messages leave Paho's callback thread at once, onto ordered lanes keyed by MQTT topic: a topic's messages
 * keep their order (one machine's tag), topics run in parallel, and Paho's thread — which also completes SUBACKs —
 * never waits for a route that is still starting.
 *
 * <p>The topic may be a shared subscription, {@code $share/<group>/<filter>} ({@link SubscriptionTopic}): hubs with the
 * same group split the filter's messages. Nothing else changes, because Paho matches a PUBLISH against the subscription
 * strings only for per-subscription listeners ({@code CommsCallback.deliverMessage}, where {@code $share/g/a/+} would
 * match no topic); without one, as here, every message goes to the client's callback with the topic it was published
 * on. So the lanes, {@code CamelMqttTopic} and the tag (its last segment) are the machine's topic, and the same
 * {@code $share} string is subscribed again after a reconnect and unsubscribed on a clean-start stop. A stopped
 * member's unacknowledged messages go where its broker sends them (README, "Scale-out"): to the rest of the group on
 * HiveMQ, back to the member itself on mosquitto.
 *
 * <p>A subscription the broker refuses in its SUBACK (reason code 0x80 or above: not authorized, shared subscriptions
 * not supported, ...) fails the start with the broker's reason: Paho 1.2.5 completes such a subscribe without an
 * error, and the connector would wait for messages that never come.
 */
final class DurableMqtt5Consumer extends DefaultConsumer implements Suspendable {

    private static final Logger LOG = LoggerFactory.getLogger(DurableMqtt5Consumer.class);
    private static final String DEADLETTER_ENDPOINT = "direct:factory-deadletter";
    private static final long MIN_HOLD_MS = 1000;
    private static final long MAX_HOLD_MS = 30_000;

    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger arrived = new AtomicInteger();
    private final AtomicInteger ignored = new AtomicInteger();
    private final AtomicInteger holds = new AtomicInteger();
    private final SubscriptionTopic subscription;
    private final int laneCount;
    private volatile MqttClient client;
    private volatile OrderedLanes lanes;
    private volatile boolean accepting;
    private volatile boolean holding;
    private ScheduledExecutorService resync;
    private ProducerTemplate deadLetters;
    // replaced by the hub's registry on start; without one (a bare Camel context) counted, not reported
    private ConnectorProgress.Tracker progress = new ConnectorProgress().track("untracked");

    DurableMqtt5Consumer(DurableMqtt5Endpoint endpoint, Processor processor, SubscriptionTopic subscription, int laneCount) {
        super(endpoint, processor);
        this.subscription = subscription;
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
        holding = false;
        deadLetters = getEndpoint().getCamelContext().createProducerTemplate();
        ConnectorProgress registry = getEndpoint().getCamelContext().getRegistry().findSingleByType(ConnectorProgress.class);
        if (registry != null) {
            progress = registry.track(getRouteId());
        }
        resync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "mqtt-resync-" + getRouteId());
            thread.setDaemon(true);
            return thread;
        });
        // the broker sends at most receive-maximum (65535) unacknowledged messages: the lanes never fill up
        lanes = new OrderedLanes("mqtt-" + getRouteId(), laneCount, 65_535, -1);
        try {
            if (client == null) {
                connect();
            }
            subscribe(client);
        } catch (MqttException | RuntimeException e) {
            // Camel regards a consumer that failed to start as stopped and never stops it: a client left connected would
            // reconnect by itself and throw out the corrected Pipe's client, which has the same id
            try {
                doStop();
            } catch (Exception stopping) {
                e.addSuppressed(stopping);
            }
            throw e;
        }
    }

    /**
     * A new client, made the current one before it connects: a resumed session delivers right after CONNACK, and
     * messages of any other client than the current one are left unacknowledged. Assigned only after connecting, the
     * first messages of a restart were dropped that way (seen: 2 of 48 after a kill -9), and HiveMQ, which refills its
     * in-flight window only once all of it is acknowledged, then sent nothing more. A failed connect puts the previous
     * client back.
     */
    private MqttClient connect() throws MqttException {
        MqttClient created = getEndpoint().newClient();
        created.setManualAcks(getEndpoint().getConfiguration().isManualAcksEnabled());
        created.setCallback(new Callback(created));
        MqttClient previous = client;
        client = created;
        IMqttToken connected;
        try {
            connected = created.connectWithResult(getEndpoint().connectionOptions());
        } catch (MqttException | RuntimeException e) {
            client = previous;
            throw e;
        }
        LOG.info("MQTT consumer {} connected to {} (session present: {})", created.getClientId(),
                getEndpoint().getConfiguration().getBrokerUrl(), connected.getSessionPresent());
        return created;
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
        if (resync != null) {
            resync.shutdownNow();
            resync = null;
        }
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
                    stopping.unsubscribe(subscription.subscription());
                }
                stopping.disconnect();
            }
            stopping.close();
        }
        if (deadLetters != null) {
            deadLetters.stop();
            deadLetters = null;
        }
        ConnectorProgress registry = getEndpoint().getCamelContext().getRegistry().findSingleByType(ConnectorProgress.class);
        if (registry != null) {
            registry.untrack(getRouteId());
        }
    }

    private void subscribe(MqttClient target) throws MqttException {
        IMqttToken granted = target.subscribe(subscription.subscription(), getEndpoint().getConfiguration().getQos());
        int[] reasons = granted.getReasonCodes();
        int reason = reasons == null || reasons.length == 0 ? 0 : reasons[0];
        if (reason >= MqttReturnCode.RETURN_CODE_UNSPECIFIED_ERROR) {
            throw new IllegalStateException("property 'topic': the broker refused the subscription to '"
                    + subscription.subscription() + "' with reason code 0x" + Integer.toHexString(reason)
                    + (reason == MqttReturnCode.RETURN_CODE_SHARED_SUB_NOT_SUPPORTED ? " (shared subscriptions not supported)" : ""));
        }
        LOG.info("MQTT consumer {} subscribed to {}{}", target.getClientId(), subscription.subscription(),
                subscription.shared() ? " (shared with the other members of group '" + subscription.group() + "')" : "");
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
        progress.started();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange completed) {
                inFlight.decrementAndGet();
                progress.finished();
                acknowledge(source, message);
            }

            @Override
            public void onFailure(Exchange failed) {
                inFlight.decrementAndGet();
                progress.finished();
                Exception cause = failed.getException();
                if (ObjectHelper.getException(BufferUnavailableException.class, cause) != null) {
                    hold(source, cause.getMessage());
                } else {
                    deadLetter(source, topic, message, failed);
                }
            }
        });
        return exchange;
    }

    /**
     * The original message, untouched, to the dead-letter flow with why its exchange failed; acknowledged once the
     * dead letter is stored. Asynchronous: this runs on the thread that completed the exchange, maybe the buffer's.
     */
    private void deadLetter(MqttClient source, String topic, MqttMessage message, Exchange failed) {
        Exception cause = failed.getException();
        Exchange letter = createExchange(false);
        letter.getMessage().setBody(message.getPayload());
        letter.getMessage().setHeader("factory_error", cause == null ? "exchange failed" : cause.getMessage());
        letter.getMessage().setHeader("factory_error_type", cause == null ? "unknown" : cause.getClass().getName());
        letter.getMessage().setHeader("factory_source_protocol", "mqtt");
        letter.getMessage().setHeader("factory_source_address", topic);
        letter.getMessage().setHeader("factory_connector", failed.getMessage().getHeader("factory_connector", getRouteId(), String.class));
        deadLetters.asyncSend(DEADLETTER_ENDPOINT, letter).whenComplete((stored, error) -> {
            Exception why = error instanceof Exception e ? e : stored == null ? null : stored.getException();
            if (error == null && why == null) {
                acknowledge(source, message);
            } else {
                hold(source, "dead letter not stored: " + (why == null ? String.valueOf(error) : why.getMessage()));
            }
        });
    }

    /**
     * Leaves this and every later message of the session unacknowledged, then reconnects after a back-off so the
     * broker redelivers them in order. One hold at a time; a hold that ends while the cause persists holds again.
     */
    private void hold(MqttClient source, String reason) {
        if (source != client || holding) {
            return; // a late failure of an earlier session, or already on hold
        }
        holding = true;
        progress.held(reason);
        long delay = Math.min(MAX_HOLD_MS, MIN_HOLD_MS << Math.min(holds.getAndIncrement(), 5));
        LOG.warn("MQTT consumer {} holds its session for {} ms, messages stay unacknowledged in the broker: {}",
                source.getClientId(), delay, reason);
        ScheduledExecutorService scheduler = resync;
        if (scheduler != null) {
            scheduler.schedule(() -> reconnect(source), delay, TimeUnit.MILLISECONDS);
        }
    }

    /** A new connection of the same session: the broker redelivers what is unacknowledged, then what it queued. */
    private void reconnect(MqttClient held) {
        if (held != client || !isRunAllowed()) {
            return;
        }
        try {
            if (held.isConnected()) {
                held.disconnect();
            }
            held.close();
        } catch (MqttException e) {
            LOG.debug("MQTT consumer {}: closing the held connection: {}", held.getClientId(), e.getMessage());
        }
        try {
            holding = false; // before connecting, for the same reason as the client in connect()
            MqttClient resumed = connect();
            progress.held(null);
            subscribe(resumed);
        } catch (MqttException | IllegalStateException e) {
            LOG.warn("MQTT consumer {} cannot reconnect yet: {}", held.getClientId(), e.getMessage());
            hold(client, "reconnect failed: " + e.getMessage()); // the held client, or the new one if subscribing failed
        }
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
            if (!accepting || holding || owner != client) {
                // suspended, stopping, on hold, or of a connection given up: left unacknowledged, redelivered in order
                ignored.incrementAndGet();
                return;
            }
            Exchange exchange = createExchange(owner, topic, message);
            getAsyncProcessor().process(exchange, defaultConsumerCallback(exchange, true));
        }

        /**
         * After Paho's automatic reconnect: subscribes again (a broker that lost the session lost the subscription too),
         * off this thread. This is Paho's callback thread, which completes the SUBACK a synchronous subscribe waits for:
         * subscribing here deadlocked it, and no message was delivered again after a broker restart.
         */
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            ScheduledExecutorService scheduler = resync;
            if (reconnect && scheduler != null) {
                LOG.info("MQTT consumer {} reconnected to {}", owner.getClientId(), serverUri);
                try {
                    scheduler.execute(this::resubscribe);
                } catch (RejectedExecutionException stopping) {
                    LOG.debug("MQTT consumer {} stops: not subscribing again", owner.getClientId());
                }
            }
        }

        private void resubscribe() {
            try {
                subscribe(owner);
            } catch (MqttException | IllegalStateException e) {
                LOG.error("MQTT resubscribe to {} failed: {}", subscription.subscription(), e.getMessage(), e);
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
