package io.factoryhub.app.support.faults;

import io.factoryhub.testkit.WindowedMqttPublisher;
import java.util.Comparator;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT load for fault tests, as a machine with an outbox would send it: message {@code i} of {@code messages} is due at
 * start + i / rate (QoS 1, one {@link WindowedMqttPublisher}, at most {@code window} unacknowledged). A message is booked
 * as sent in its ledger once the broker acknowledged it (PUBACK). One the broker did not acknowledge — the connection
 * broke, the broker went away — is published again once reconnected, before anything new; while disconnected, the
 * schedule runs on and what fell due is sent when the broker is back. A message may so reach the broker twice, never not
 * at all. It reconnects every {@value #RECONNECT_EVERY_MS} ms while the broker is away.
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

    private final WindowedMqttPublisher publisher;
    private final int ratePerSecond;
    private final LongFunction<Message> messages;
    /** What is to be published again, in schedule order, as a machine's outbox would send it. */
    private final PriorityBlockingQueue<Issued> retries = new PriorityBlockingQueue<>(64, Comparator.comparingLong(Issued::index));
    private final AtomicLong issued = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong republished = new AtomicLong();
    private final Thread thread;
    private volatile boolean scheduling = true;
    private volatile boolean closed;
    private volatile long startedAt;

    private SequencedMqttLoad(String brokerUrl, String clientId, int ratePerSecond, int window,
                              LongFunction<Message> messages) throws MqttException {
        this.ratePerSecond = ratePerSecond;
        this.messages = messages;
        this.publisher = WindowedMqttPublisher.connect(brokerUrl, clientId, window);
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
                        if (publisher.inFlight() == 0) {
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
            if (!publisher.isConnected()) {
                if (reconnect()) {
                    retries.add(next); // after what was in flight on the old connection, in schedule order
                    return;
                }
                continue;
            }
            try {
                if (publisher.publish(next.message().topic(), next.message().payload(), 100, new Booking(next))) {
                    return;
                }
            } catch (MqttException e) {
                Thread.sleep(20); // disconnected meanwhile: reconnects on the next turn
            }
        }
    }

    /** True once connected again; what was in flight comes back through {@link Booking#failed}, to be sent again. */
    private boolean reconnect() throws InterruptedException {
        Thread.sleep(RECONNECT_EVERY_MS);
        int unacknowledged = publisher.inFlight();
        try {
            publisher.reconnect();
        } catch (MqttException e) {
            LOG.debug("mqtt load: broker not back yet: {}", e.getMessage());
            return false;
        }
        LOG.info("mqtt load reconnected: {} unacknowledged message(s) published again", unacknowledged);
        return true;
    }

    /**
     * Stops taking messages from the schedule and waits until every message taken is acknowledged, published again
     * if need be; false when that took longer than {@code timeoutMs}.
     */
    public boolean stop(long timeoutMs) throws InterruptedException {
        scheduling = false;
        thread.join(timeoutMs);
        if (thread.isAlive()) {
            LOG.warn("mqtt load: {} message(s) still unacknowledged, {} to publish again", publisher.inFlight(), retries.size());
            return false;
        }
        return true;
    }

    @Override
    public void close() throws MqttException, InterruptedException {
        closed = true;
        thread.join(TIMEOUT_MS);
        publisher.close();
    }

    /** Books an acknowledged message in its ledger; hands an unacknowledged one back for another try. */
    private final class Booking implements WindowedMqttPublisher.Outcome {
        private final Issued issued;

        Booking(Issued issued) {
            this.issued = issued;
        }

        @Override
        public void acknowledged() {
            issued.message().ledger().sent(issued.message().seq());
            acknowledged.incrementAndGet();
        }

        @Override
        public void failed(Throwable cause) {
            republished.incrementAndGet();
            retries.add(issued);
        }
    }
}
