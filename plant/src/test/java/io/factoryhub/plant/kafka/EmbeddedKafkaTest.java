package io.factoryhub.plant.kafka;

import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EmbeddedKafkaTest {

    @TempDir
    Path dir;

    @Test
    void recordSurvivesRestartOnSameLogDir() throws Exception {
        int port = FreePorts.next();
        int controllerPort = FreePorts.next();
        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, port, controllerPort, 1, Map.of())) {
            kafka.start();
            kafka.createTopics(Map.of("readings", 2));
            kafka.createTopics(Map.of("readings", 2)); // idempotent
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
                producer.send(new ProducerRecord<>("readings", "press-01", "4.21")).get();
            }
            assertEquals(List.of("press-01=4.21"), consumeAll(kafka, "g1"));
        }

        try (EmbeddedKafka kafka = new EmbeddedKafka(dir, port, controllerPort, 1, Map.of())) {
            kafka.start();
            kafka.createTopics(Map.of("readings", 2));
            assertEquals(List.of("press-01=4.21"), consumeAll(kafka, "g2"));
        }
    }

    @Test
    void failedStartLeavesNoNonDaemonThreads() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedKafka kafka = new EmbeddedKafka(dir, taken.getLocalPort(), FreePorts.next(), 2, Map.of());
            assertThrows(Throwable.class, kafka::start);
            kafka.close();
        }
        Waits.atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Set<Thread> leaked = new HashSet<>(nonDaemonThreads());
            leaked.removeAll(before);
            assertEquals(Set.of(), leaked.stream().map(Thread::getName).collect(Collectors.toSet()));
        });
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !t.isDaemon() && t.isAlive())
                .collect(Collectors.toSet());
    }

    private static List<String> consumeAll(EmbeddedKafka kafka, String group) {
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            consumer.subscribe(List.of("readings"));
            Waits.within(Duration.ofSeconds(30), Waits.BACK_TO_BACK, () -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(r.key() + "=" + r.value());
                }
                return !seen.isEmpty();
            });
        }
        return seen;
    }
}
