package io.factoryhub.testkit;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One async Paho MQTT 5 client publishing QoS 1 with many messages in flight, as a machine with an outbox sends: at
 * most {@code window} unacknowledged, fewer when the broker's Receive Maximum (from CONNACK) is smaller. A publish waits
 * for a free slot; its outcome is told once, acknowledged (PUBACK) or failed.
 *
 * <p>It reconnects only when told ({@link #reconnect}), not with Paho's automatic reconnect: Paho 1.2.5 keeps that
 * reconnect delay in a static field shared by every client of the JVM, so a test's reconnects would change the hub's.
 * A reconnect is a clean start, so what was in flight on the old connection is told failed, to be published again.
 */
public final class WindowedMqttPublisher implements AutoCloseable {

    /** What became of one publish; told once, from Paho's threads. */
    public interface Outcome {
        /** Does nothing either way: for load whose acknowledgements nobody counts. */
        Outcome IGNORED = new Outcome() {
            @Override
            public void acknowledged() {
            }

            @Override
            public void failed(Throwable cause) {
            }
        };

        /** The broker acknowledged it (PUBACK). */
        void acknowledged();

        /** The broker did not: the connection broke or was replaced, or the publish was refused. */
        void failed(Throwable cause);
    }

    private static final Logger LOG = LoggerFactory.getLogger(WindowedMqttPublisher.class);
    private static final long TIMEOUT_MS = 30_000;
    private static final int MQTT_MAX_RECEIVE_MAXIMUM = 65_535;

    /** One publish, settled once: its slot is given back and its outcome told. */
    private record InFlight(Outcome outcome, AtomicBoolean settled) {
    }

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private final MqttActionListener listener = new Listener();
    private final Semaphore window;
    private final int brokerReceiveMaximum;

    private WindowedMqttPublisher(String brokerUrl, String clientId, int window) throws MqttException {
        this.client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        client.setCallback(new Disconnects(clientId));
        options.setCleanStart(true);
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(TIMEOUT_MS);
        Integer receiveMaximum = ((MqttConnAck) connected.getResponse()).getProperties().getReceiveMaximum();
        this.brokerReceiveMaximum = receiveMaximum == null ? MQTT_MAX_RECEIVE_MAXIMUM : receiveMaximum;
        this.window = new Semaphore(Math.min(window, brokerReceiveMaximum));
    }

    /** Connects (clean start) and sizes the window: {@code window}, or the broker's Receive Maximum if smaller. */
    public static WindowedMqttPublisher connect(String brokerUrl, String clientId, int window) throws MqttException {
        return new WindowedMqttPublisher(brokerUrl, clientId, window);
    }

    /** The broker's Receive Maximum from CONNACK (65,535 when it sent none). */
    public int brokerReceiveMaximum() {
        return brokerReceiveMaximum;
    }

    public boolean isConnected() {
        return client.isConnected();
    }

    /** Publishes not yet acknowledged or failed. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Publishes {@code payload} QoS 1 once a slot is free, waiting up to {@code timeoutMs}; false when none became free
     * (nothing sent, nothing told). Throws when Paho refuses it (e.g. disconnected): nothing sent, nothing told.
     */
    public boolean publish(String topic, byte[] payload, long timeoutMs, Outcome outcome)
            throws MqttException, InterruptedException {
        if (!window.tryAcquire(timeoutMs, TimeUnit.MILLISECONDS)) {
            return false;
        }
        InFlight publish = new InFlight(outcome, new AtomicBoolean());
        inFlight.add(publish);
        while (true) {
            try {
                client.publish(topic, new MqttMessage(payload, 1, false, null), publish, listener);
                return true;
            } catch (MqttException e) {
                if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    settle(publish);
                    throw e;
                }
                // Paho counts in flight itself and may still hold a slot whose PUBACK callback already ran
                LockSupport.parkNanos(20_000);
            }
        }
    }

    /**
     * Connects again, clean start: the broker has forgotten what was in flight on the old connection, so each of those
     * publishes is told failed. Throws when the broker does not answer.
     */
    public void reconnect() throws MqttException {
        client.connect(options).waitForCompletion(TIMEOUT_MS);
        MqttException replaced = new MqttException(MqttClientException.REASON_CODE_CONNECTION_LOST);
        List.copyOf(inFlight).forEach(publish -> {
            if (settle(publish)) {
                publish.outcome().failed(replaced);
            }
        });
    }

    private boolean settle(InFlight publish) {
        if (!publish.settled().compareAndSet(false, true)) {
            return false;
        }
        inFlight.remove(publish);
        window.release();
        return true;
    }

    /** Disconnects, letting what is in flight finish for up to 5 s, and frees the client. */
    @Override
    public void close() throws MqttException {
        try {
            if (client.isConnected()) {
                client.disconnect(5_000).waitForCompletion(6_000);
            }
        } finally {
            client.close(true);
        }
    }

    private final class Listener implements MqttActionListener {
        @Override
        public void onSuccess(IMqttToken token) {
            InFlight publish = (InFlight) token.getUserContext();
            if (settle(publish)) {
                publish.outcome().acknowledged();
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
            InFlight publish = (InFlight) token.getUserContext();
            if (settle(publish)) {
                publish.outcome().failed(error);
            }
        }
    }

    /** Logs a lost connection; whoever publishes decides when to {@link #reconnect}. */
    private record Disconnects(String clientId) implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.info("mqtt publisher {} disconnected: {}", clientId, response.getException() == null
                    ? response.getReasonString() : response.getException().getMessage());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("mqtt publisher {}: {}", clientId, exception.getMessage());
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // connecting is done by connect() and reconnect(), which know
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // publishes only
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // the action listener tells the outcomes
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
