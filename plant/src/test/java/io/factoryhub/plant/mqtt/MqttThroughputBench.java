package io.factoryhub.plant.mqtt;

import io.factoryhub.testkit.WindowedMqttPublisher;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * End-to-end MQTT 5 QoS 1 throughput: one {@link WindowedMqttPublisher} with many messages in flight and one
 * Paho subscriber with a persistent session, on loopback. Measures first publish to last delivery.
 */
public final class MqttThroughputBench {

    /** What one run measured. */
    public record Result(int messages, long millis, int serverReceiveMaximum, int received) {
        public double perSecond() {
            return messages * 1000.0 / Math.max(1, millis);
        }

        @Override
        public String toString() {
            return String.format("%d msgs in %d ms = %.0f msg/s (server receive-maximum %d, received %d)",
                    messages, millis, perSecond(), serverReceiveMaximum, received);
        }
    }

    private MqttThroughputBench() {
    }

    public static Result run(int port, int messages, int payloadBytes, int maxInFlight) throws Exception {
        String uri = "tcp://127.0.0.1:" + port;
        CountDownLatch allReceived = new CountDownLatch(messages);
        AtomicInteger received = new AtomicInteger();

        MqttAsyncClient subscriber = new MqttAsyncClient(uri, "bench-sub", new MemoryPersistence());
        subscriber.setCallback(new CountingCallback(received, allReceived));
        MqttConnectionOptions subOptions = new MqttConnectionOptions();
        subOptions.setCleanStart(false);
        subOptions.setSessionExpiryInterval(3600L);
        if (Boolean.getBoolean("bench.noDelay")) {
            subOptions.setSocketFactory(new NoDelaySocketFactory());
        }
        subscriber.connect(subOptions).waitForCompletion(10_000);
        subscriber.subscribe("bench/#", 1).waitForCompletion(10_000);

        WindowedMqttPublisher publisher = WindowedMqttPublisher.connect(uri, "bench-pub", maxInFlight);
        int serverReceiveMaximum = publisher.brokerReceiveMaximum();

        byte[] payload = new byte[payloadBytes];
        Arrays.fill(payload, (byte) 'x');
        long start = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            if (!publisher.publish("bench/t", payload, 60_000, WindowedMqttPublisher.Outcome.IGNORED)) {
                throw new IllegalStateException("no PUBACK for 60 s, window still full after " + i + " messages");
            }
        }
        // Wait until everything arrived or nothing more arrives for 10 s (a broker that drops messages).
        long lastProgress = System.nanoTime();
        long lastEnd = System.nanoTime();
        int seen = -1;
        while (!allReceived.await(200, TimeUnit.MILLISECONDS)) {
            if (received.get() != seen) {
                seen = received.get();
                lastProgress = System.nanoTime();
                lastEnd = lastProgress;
            } else if (System.nanoTime() - lastProgress > TimeUnit.SECONDS.toNanos(10)) {
                break;
            }
        }
        long end = allReceived.getCount() == 0 ? System.nanoTime() : lastEnd;
        long millis = TimeUnit.NANOSECONDS.toMillis(end - start);
        publisher.close();
        subscriber.disconnect().waitForCompletion(10_000);
        subscriber.close();
        return new Result(messages, millis, serverReceiveMaximum, received.get());
    }

    private record CountingCallback(AtomicInteger received, CountDownLatch latch) implements MessageCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.incrementAndGet();
            latch.countDown();
        }
    }

    /** {@code java ... MqttThroughputBench <port> [messages] [payloadBytes] [maxInFlight]} against a running broker. */
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int messages = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        run(port, Math.min(messages, 5000), size, inFlight); // warm-up
        System.out.println(run(port, messages, size, inFlight));
    }
}
