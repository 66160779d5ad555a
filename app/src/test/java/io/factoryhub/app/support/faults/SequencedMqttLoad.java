package io.factoryhub.app.support.faults;

import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
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
 * MQTT load for fault tests, as a machine with an outbox would send it: message {@code i} of {@code messages} is due at
 * start + i / rate (QoS 1, one async Paho client, at most {@code window} unacknowledged). A message is booked as sent in
 * its ledger once the broker acknowledged it (PUBACK). One the broker did not acknowledge — the connection broke, the
 * broker went away — is published again once reconnected, before anything new; while disconnected, the schedule runs on
 * and what fell due is sent when the broker is back. A message may so reach the broker twice, never not at all.
 *
 * <p>It reconnects itself, every {@value #RECONNECT_EVERY_MS} ms, not with Paho's automatic reconnect: Paho 1.2.5 keeps
 * that reconnect delay in a static field shared by every client of the JVM, so the load's reconnects would change the
 * hub's (reset it to 1 s, or double it).
 */
public final class SequencedMqttLoad implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SequencedMqttLoad.class);
    private static final long TIMEOUT_MS = 30_000;
    private static final long RECONNECT_EVERY_MS = 500;

    /** One message and the ledger entry it stands for. */
    public record Message(String topic, byte[] payload, SequenceLedger ledger, long seq) {
    }

    /** Message {@code index} of the schedule. */
    private record Issued(long index, Message message) {
    }

    /** One publish of a message; settled once — acknowledged, or handed back for another try. */
    private record Attempt(Issued issued, AtomicBoolean settled) {
        Attempt(Issued issued) {
            this(issued, new AtomicBoolean());
        }
    }

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private final int ratePerSecond;
    private final LongFunction<Message> messages;
    private final Semaphore window;
    private final Set<Attempt> pending = ConcurrentHashMap.newKeySet();
    /** What is to be published again, in schedule order, as a machine's outbox would send it. */
    private final PriorityBlockingQueue<Issued> retries = new PriorityBlockingQueue<>(64, Comparator.comparingLong(Issued::index));
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong republished = new AtomicLong();
    private final MqttActionListener listener = new Listener();
    private final Thread thread;
    private volatile boolean scheduling = true;
    private volatile boolean closed;
    private volatile long startedAt;

    private SequencedMqttLoad(String brokerUrl, String clientId, int ratePerSecond, int window,
                              LongFunction<Message> messages) throws MqttException {
        this.ratePerSecond = ratePerSecond;
        this.messages = messages;
        this.client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        client.setCallback(new Disconnects());
        options.setCleanStart(true);
        IMqttToken connected = client.connect(options);
        connected.waitForCompletion(TIMEOUT_MS);
        Integer receiveMaximum = ((MqttConnAck) connected.getResponse()).getProperties().getReceiveMaximum();
        this.window = new Semaphore(Math.min(window, receiveMaximum == null ? 65_535 : receiveMaximum));
        this.thread = new Thread(this::run, "mqtt-load-" + clientId);
        thread.setDaemon(true);
    }

    /** Connects and starts publishing {@code messages.apply(0), apply(1), ...} at {@code ratePerSecond}. */
    public static SequencedMqttLoad start(String brokerUrl, String clientId, int ratePerSecond, int window,
                                          LongFunction<Message> messages) throws MqttException {
        SequencedMqttLoad load = new SequencedMqttLoad(brokerUrl, clientId, ratePerSecond, window, messages);
        load.startedAt = System.nanoTime();
        load.thread.start();
        return load;
    }

    /** Messages taken from the schedule so far: the next one's index. */
    public long issued() {
        return issued.get();
    }

    /** Messages the broker acknowledged. */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** Publishes repeated because the broker had not acknowledged them. */
    public long republished() {
        return republished.get();
    }

    /** Acknowledged messages per second since the start. */
    public double acknowledgedPerSecond() {
        return acknowledged.get() / ((System.nanoTime() - startedAt) / 1e9);
    }

    private void run() {
        double intervalNanos = 1e9 / ratePerSecond;
        try {
            while (!closed) {
                Issued next = retries.poll();
                if (next == null) {
                    if (!scheduling) {
                        if (pending.isEmpty()) {
                            return; // stopped, and everything taken is acknowledged
                        }
                        Thread.sleep(10);
                        continue;
                    }
                    long i = issued.get();
                    long wait = startedAt + (long) (i * intervalNanos) - System.nanoTime();
                    if (wait > 50_000) {
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    next = new Issued(i, messages.apply(i));
                    issued.incrementAndGet();
                }
                publish(next);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes once connected and within the window; a refused publish is tried again. */
    private void publish(Issued next) throws InterruptedException {
        while (!closed) {
            if (!client.isConnected()) {
                if (reconnect()) {
                    retries.add(next); // after what was in flight on the old connection, in schedule order
                    return;
                }
                continue;
            }
            if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                continue;
            }
            Attempt attempt = new Attempt(next);
            pending.add(attempt);
            Message message = next.message();
            try {
                client.publish(message.topic(), new MqttMessage(message.payload(), 1, false, null), attempt, listener);
                return;
            } catch (MqttException e) {
                settle(attempt);
                if (e.getReasonCode() == MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                    // Paho counts in flight itself and may still hold a slot the PUBACK callback already released
                    LockSupport.parkNanos(20_000);
                } else {
                    Thread.sleep(20); // disconnected meanwhile: reconnects on the next turn
                }
            }
        }
    }

    /**
     * A new connection is a clean session: the broker has forgotten what was in flight on the old one, so whatever is
     * still unacknowledged is published again. True once connected.
     */
    private boolean reconnect() throws InterruptedException {
        Thread.sleep(RECONNECT_EVERY_MS);
        try {
            client.connect(options).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            LOG.debug("mqtt load: broker not back yet: {}", e.getMessage());
            return false;
        }
        int unacknowledged = pending.size();
        pending.forEach(this::retry);
        LOG.info("mqtt load reconnected: {} unacknowledged message(s) published again", unacknowledged);
        return true;
    }

    private boolean settle(Attempt attempt) {
        if (!attempt.settled().compareAndSet(false, true)) {
            return false;
        }
        pending.remove(attempt);
        window.release();
        return true;
    }

    private void retry(Attempt attempt) {
        if (settle(attempt)) {
            republished.incrementAndGet();
            retries.add(attempt.issued());
        }
    }

    /**
     * Stops taking messages from the schedule and waits until every message taken is acknowledged, published again
     * if need be; false when that took longer than {@code timeoutMs}.
     */
    public boolean stop(long timeoutMs) throws InterruptedException {
        scheduling = false;
        thread.join(timeoutMs);
        if (thread.isAlive()) {
            LOG.warn("mqtt load: {} message(s) still unacknowledged, {} to publish again", pending.size(), retries.size());
            return false;
        }
        return true;
    }

    @Override
    public void close() throws MqttException, InterruptedException {
        closed = true;
        thread.join(TIMEOUT_MS);
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
            Attempt attempt = (Attempt) token.getUserContext();
            if (settle(attempt)) {
                Message message = attempt.issued().message();
                message.ledger().sent(message.seq());
                acknowledged.incrementAndGet();
            }
        }

        @Override
        public void onFailure(IMqttToken token, Throwable error) {
            retry((Attempt) token.getUserContext());
        }
    }

    /** Logs a lost connection; the publishing thread reconnects. */
    private static final class Disconnects implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.info("mqtt load disconnected: {}", response.getException() == null ? response.getReasonString()
                    : response.getException().getMessage());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("mqtt load: {}", exception.getMessage());
        }

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            // the publishing thread connects, and knows
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // publishes only
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // the action listener books acknowledgements
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // no enhanced authentication
        }
    }
}
