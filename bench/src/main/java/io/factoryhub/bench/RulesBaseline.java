package io.factoryhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.hub.rules.RuleJson;
import io.factoryhub.hub.state.LiveRules;
import io.factoryhub.hub.state.MachineState;
import io.factoryhub.hub.state.StateChangedEvent;
import io.factoryhub.hub.state.StateCounters;
import io.factoryhub.hub.state.StateEngine;
import io.factoryhub.hub.state.StateTimings;
import io.factoryhub.hub.streams.JsonSerde;
import io.factoryhub.hub.streams.Reading;
import io.factoryhub.hub.streams.ReadingSerde;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The rules bench's baseline: the same rules and the same engine ({@link StateEngine}) in a plain consumer loop, no
 * Kafka Streams: one thread polls telemetry from the beginning, evaluates, sends transitions with a plain producer.
 * Nothing is persisted and nothing is exactly-once: what the hub's stores, changelogs and transactions cost shows in
 * the ratio.
 */
final class RulesBaseline {

    private final String bootstrapServers;
    private final StateTimings timings;
    private final LiveRules rules = new LiveRules();
    private final StateCounters counters = new StateCounters();

    RulesBaseline(String bootstrapServers, StateTimings timings, List<String[]> documents) throws Exception {
        this.bootstrapServers = bootstrapServers;
        this.timings = timings;
        for (String[] document : documents) {
            rules.put(RuleJson.read(JsonSerde.MAPPER.readTree(document[1])));
        }
    }

    StateCounters counters() {
        return counters;
    }

    /**
     * Evaluates {@code total} records of {@code telemetry}; returns readings per second over those after the first
     * {@code warmup} (without a warm-up: from the first polled).
     */
    double run(String telemetry, String events, long warmup, long total) {
        Map<String, MachineState> machines = new HashMap<>();
        Deserializer<Reading> serde = new ReadingSerde().deserializer();
        StateEngine engine = new StateEngine(timings, rules, counters, machineId -> (JsonNode) null);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(); KafkaProducer<byte[], byte[]> producer = producer()) {
            StateEngine.Output out = t -> producer.send(new ProducerRecord<>(events, t.machineId().getBytes(StandardCharsets.UTF_8),
                    StateChangedEvent.of(t, System.currentTimeMillis()).toString().getBytes(StandardCharsets.UTF_8)));
            List<TopicPartition> partitions = consumer.partitionsFor(telemetry).stream()
                    .map(p -> new TopicPartition(telemetry, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long first = 0;
            long lastTick = System.currentTimeMillis();
            while (counters.readings() < total) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                    if (first == 0 && counters.readings() >= warmup) {
                        first = System.nanoTime();
                    }
                    Reading reading = serde.deserialize(telemetry, record.value());
                    if (reading != null) {
                        long now = System.currentTimeMillis();
                        engine.onReading(machines.computeIfAbsent(reading.machineId(), id -> new MachineState(id, now)),
                                reading, reading.sourceTimeMs(), now, out);
                    }
                }
                long now = System.currentTimeMillis();
                if (now - lastTick >= 1000) {
                    lastTick = now;
                    machines.values().forEach(m -> engine.onTick(m, now, out));
                }
            }
            producer.flush();
            return (counters.readings() - warmup) / ((System.nanoTime() - first) / 1e9);
        }
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 5), new ByteArraySerializer(), new ByteArraySerializer());
    }
}
