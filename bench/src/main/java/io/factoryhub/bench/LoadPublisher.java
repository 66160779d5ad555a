package io.factoryhub.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClientException;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttConnAck;

/**
 * The device side of the ingest bench: several async Paho MQTT 5 clients publishing QoS 1 with many messages in
 * flight each. Several connections because one Paho client has one sender thread and one socket; the broker's
 * receive-maximum bounds each client's window, a semaphore per client turns "window full" into back-pressure.
 */
final class LoadPublisher implements AutoCloseable {

    private static final long TIMEOUT_MS = 30_000;

    private final List<Client> clients = new ArrayList<>();
    private final AtomicLong failed = new AtomicLong();

    private final class Client {
        final MqttAsyncClient paho;
        final Semaphore window;
        final MqttActionListener release;

        Client(String serverUri, String clientId, int maxInFlight) throws MqttException {
            paho = new MqttAsyncClient(serverUri, clientId, new MemoryPersistence());
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setCleanStart(true);
            options.setSocketFactory(new NoDelaySocketFactory());
            IMqttToken token = paho.connect(options);
            token.waitForCompletion(TIMEOUT_MS);
            Integer receiveMaximum = ((MqttConnAck) token.getResponse()).getProperties().getReceiveMaximum();
            window = new Semaphore(Math.min(maxInFlight, receiveMaximum == null ? 65_535 : receiveMaximum));
            release = new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken t) {
                    window.release();
                }

                @Override
                public void onFailure(IMqttToken t, Throwable e) {
                    window.release();
                    failed.incrementAndGet();
                }
            };
        }

        void publish(String topic, byte[] payload) throws Exception {
            if (!window.tryAcquire(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("no PUBACK from the broker for " + TIMEOUT_MS + " ms");
            }
            MqttMessage message = new MqttMessage(payload, 1, false, null);
            while (true) {
                try {
                    paho.publish(topic, message, null, release);
                    return;
                } catch (MqttException e) {
                    // Paho counts in-flight itself and may still hold a slot the PUBACK callback already released
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        window.release();
                        throw e;
                    }
                    LockSupport.parkNanos(20_000);
                }
            }
        }

        /** Nothing pending in Paho = every PUBACK received. */
        void awaitIdle() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            while (paho.getPendingTokens().length > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
    }

    LoadPublisher(String serverUri, int clientCount, int maxInFlight, String idPrefix) throws MqttException {
        try {
            for (int i = 0; i < clientCount; i++) {
                clients.add(new Client(serverUri, idPrefix + "-" + i, maxInFlight));
            }
        } catch (MqttException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Publishes {@code count} messages with sequence numbers from {@code from} as fast as the windows allow, one
     * thread per client. Returns System.nanoTime() of the first publish.
     */
    long burst(String topicPrefix, long from, int count) throws Exception {
        return burst(topicPrefix, from, count, null);
    }

    /**
     * As above; with {@code outstanding} non-null a permit is taken per message and returned when the message is
     * readable in Kafka, bounding the messages between publisher and Kafka. Without that bound a path slower than
     * the publishers piles the difference up in the broker, and on a small machine the broker's growing queue
     * (mosquitto) eats the CPU the path needs: the burst would measure the broker's backlog handling.
     */
    long burst(String topicPrefix, long from, int count, Semaphore outstanding) throws Exception {
        long start = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        int n = clients.size();
        for (int c = 0; c < n; c++) {
            Client client = clients.get(c);
            int lane = c;
            Thread thread = new Thread(() -> {
                try {
                    for (long i = lane; i < count; i += n) {
                        long seq = from + i;
                        if (outstanding != null && !outstanding.tryAcquire(TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                            throw new IllegalStateException("nothing arrived in Kafka for " + TIMEOUT_MS + " ms");
                        }
                        client.publish(Readings.topic(topicPrefix, seq), Readings.payload(seq, Instant.now()));
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }, "bench-publisher-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("publishing failed: " + errors.get(0), errors.get(0));
        }
        return start;
    }

    /**
     * Publishes {@code rate} messages per second for {@code seconds} from one pacing thread, round-robin over the
     * clients; message i is due at start + i/rate, so a late one does not shift the schedule (no coordinated
     * omission within the generator). Returns the achieved rate.
     */
    double atRate(String topicPrefix, long from, int rate, int seconds) throws Exception {
        long start = System.nanoTime();
        int published = atRate(topicPrefix, from, rate, rate * seconds, () -> false);
        return published / ((System.nanoTime() - start) / 1e9);
    }

    /** As above, until {@code count} are published or {@code stop} says so; returns how many were published. */
    int atRate(String topicPrefix, long from, int rate, int count, BooleanSupplier stop) throws Exception {
        long start = System.nanoTime();
        double intervalNanos = 1e9 / rate;
        int i = 0;
        for (; i < count && !stop.getAsBoolean(); i++) {
            long due = start + (long) (i * intervalNanos);
            long wait = due - System.nanoTime();
            if (wait > 50_000) {
                LockSupport.parkNanos(wait);
            }
            long seq = from + i;
            clients.get(i % clients.size()).publish(Readings.topic(topicPrefix, seq), Readings.payload(seq, Instant.now()));
        }
        return i;
    }

    /** Waits until every client has its PUBACKs (nothing pending). */
    void awaitAcknowledged() throws InterruptedException {
        for (Client client : clients) {
            client.awaitIdle();
        }
    }

    long failedDeliveries() {
        return failed.get();
    }

    @Override
    public void close() {
        for (Client client : clients) {
            try {
                if (client.paho.isConnected()) {
                    client.paho.disconnect(5_000).waitForCompletion(6_000);
                }
            } catch (MqttException ignored) {
                // closing anyway
            }
            try {
                client.paho.close(true);
            } catch (MqttException ignored) {
                // nothing left to do
            }
        }
        clients.clear();
    }
}
