package io.factoryhub.plant.sim;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Paho MQTT 5 connection that publishes QoS 1 asynchronously, shared by the MQTT sinks.
 *
 * <p>Paho rejects a publish once the broker's receive-maximum is in flight; a semaphore of that size
 * turns this into back-pressure on the caller instead.
 */
public final class PahoPublisher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PahoPublisher.class);
    private static final long TIMEOUT_MS = 10_000;

    private final MqttAsyncClient client;
    private final AtomicLong failedDeliveries = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Semaphore window;

    /**
     * @param serverUri e.g. {@code tcp://127.0.0.1:1883}
     * @param clientId  MQTT client id, unique per broker
     */
    public PahoPublisher(String serverUri, String clientId) throws MqttException {
        // Memory persistence: Paho's default file persistence writes every QoS 1 message to disk.
        this.client = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
    }

    /** Connects (clean start, automatic reconnect) and sizes the in-flight window from CONNACK. */
    public void connect() throws MqttException {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        IMqttToken token = client.connect(options);
        token.waitForCompletion(TIMEOUT_MS);
        Integer receiveMaximum = ((MqttConnAck) token.getResponse()).getProperties().getReceiveMaximum();
        window = new Semaphore(receiveMaximum == null ? 65_535 : receiveMaximum);
    }

    /** Sends a QoS 1 message; returns once Paho has taken it, not when the broker has acknowledged it. */
    public void publish(String topic, byte[] payload) throws Exception {
        Semaphore permits = window;
        if (permits == null) {
            throw new IllegalStateException("not connected");
        }
        if (!permits.tryAcquire(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException("no PUBACK for " + TIMEOUT_MS + " ms, broker window still full");
        }
        try {
            client.publish(topic, new MqttMessage(payload, 1, false, null), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    permits.release();
                }

                @Override
                public void onFailure(IMqttToken token, Throwable failure) {
                    permits.release();
                    if (failedDeliveries.incrementAndGet() % 1000 == 1) {
                        LOG.warn("QoS 1 delivery failed ({} so far): {}", failedDeliveries.get(), failure.toString());
                    }
                }
            });
        } catch (MqttException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Deliveries that failed after {@link #publish} had returned. */
    public long failedDeliveries() {
        return failedDeliveries.get();
    }

    /** Disconnects (letting in-flight messages finish for up to 10 s) and frees the client; idempotent, as sinks share it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (client.isConnected()) {
                client.disconnect(TIMEOUT_MS).waitForCompletion(TIMEOUT_MS + 1000);
            }
        } catch (MqttException e) {
            LOG.debug("MQTT disconnect failed", e);
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("MQTT client close failed", e);
        }
    }
}
