package io.factoryhub.app.support.faults;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.MqttPublisher;
import io.factoryhub.testkit.Waits;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Waits until a path through the hub carries data before a fault test starts counting: a probe with a negative value
 * (no ledger counts it) is sent every second until one reaches Kafka under the given key. A load started earlier would
 * lose what the broker got before the hub's subscription existed, which is no fault of the hub's. Probe values are
 * never used twice in a JVM, so probes of an earlier hub on the same topic (before a restart) do not count.
 */
public final class FlowProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong LAST_PROBE = new AtomicLong();

    /** Sends one probe with the given (negative) value. */
    @FunctionalInterface
    public interface Sender {
        void send(long value) throws Exception;
    }

    private FlowProbe() {
    }

    /** A probe of this wait: its value is {@code -first} or below. */
    private static boolean isProbe(ConsumerRecord<String, String> record, long first) {
        try {
            return JSON.readTree(record.value()).path("value").asDouble() <= -first;
        } catch (IOException e) {
            return false;
        }
    }

    /** Until probe readings of {@code readings}' first machine, published on {@code brokerUrl}, reach {@code topic}. */
    public static long awaitMqtt(String brokerUrl, String bootstrapServers, String topic, MachineReadings readings,
                                 Duration timeout) throws Exception {
        String machine = readings.machine(0);
        try (MqttPublisher probe = new MqttPublisher(brokerUrl)) {
            return awaitFlowing(bootstrapServers, topic, machine, timeout,
                    value -> probe.publish(readings.topic(machine), MachineReadings.payload(machine, value)));
        }
    }

    /** Returns the seconds it took. */
    public static long awaitFlowing(String bootstrapServers, String topic, String key, Duration timeout, Sender sender)
            throws Exception {
        long start = System.nanoTime();
        long first = LAST_PROBE.get() + 1;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "flow-probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            AtomicLong nextProbe = new AtomicLong(start);
            boolean arrived = Waits.within(timeout, Waits.BACK_TO_BACK, () -> {
                if (System.nanoTime() >= nextProbe.get()) {
                    sender.send(-LAST_PROBE.incrementAndGet());
                    nextProbe.set(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key()) && isProbe(record, first)) {
                        return true;
                    }
                }
                return false;
            });
            if (arrived) {
                return Duration.ofNanos(System.nanoTime() - start).toSeconds();
            }
        }
        throw new AssertionError("no probe of " + key + " reached " + topic + " within " + timeout);
    }
}
