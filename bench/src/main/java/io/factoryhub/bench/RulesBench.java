package io.factoryhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.state.StateTimings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bench rules}: machine states from {@code rules} rules over {@code machines} machines through the hub's Kafka
 * Streams topology (exactly-once, state in changelogged stores), next to the same rules and engine in a plain
 * consumer loop ({@link RulesBaseline}).
 *
 * <ol>
 *   <li>Throughput: {@code warmup} then {@code readings} telemetry events written to Kafka first, with the rules on
 *   the control topic; then each side reads them all from the beginning: readings per second over the last
 *   {@code readings}, once the warm-up ones are evaluated (the hub: from its committed offsets covering the warm-up to
 *   their covering everything). The warm-up keeps the JIT out of the figure: on 2 cores, compiling the hub's code
 *   took one of them for the first 40 s of a cold start. The baseline goes first, then the hub starts. Both sides'
 *   transitions are counted in their events topics: one engine, one input, the counts must agree.</li>
 *   <li>Delay at {@code rate} readings/s for {@code seconds}: latency machines with a rule {@code for: 2s}, readings on
 *   wall-clock event time; each transition to WARNING is matched with the reading that moved its machine's watermark
 *   past since (event time >= since + out-of-order allowance): that reading acknowledged by Kafka -> the event
 *   readable (committed) in Kafka.</li>
 * </ol>
 */
public final class RulesBench {

    static final double TARGET_PER_S = 50_000;
    static final double TARGET_RATIO = 0.5;
    static final double TARGET_P99_MS = 500;
    private static final String TELEMETRY = "factory.machine.telemetry";
    private static final String EVENTS = "factory.machine.events";
    private static final String RULES = "factory.rules";
    private static final String BASELINE_EVENTS = "bench.baseline.events";
    private static final int LATENCY_MACHINES = 200;
    private static final String APPLICATION_ID = "bench-rules";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Options(int warmup, int readings, int machines, int rules, int rate, int seconds) {

        long total() {
            return (long) warmup + readings;
        }
    }

    private final HubConfig base;
    private final Options options;
    private final BenchProgress progress;

    public RulesBench(HubConfig base, Options options, PrintWriter log) {
        this.base = base;
        this.options = options;
        this.progress = new BenchProgress(log, "rules");
    }

    public BenchReport run() throws Exception {
        try (BenchEnv env = new BenchEnv(base)) {
            env.startKafka(Map.of(TELEMETRY, env.partitions(), EVENTS, env.partitions(), RULES, 1, BASELINE_EVENTS, env.partitions()));
            BenchRuleSet plant = new BenchRuleSet(options.machines(), options.rules());
            List<String[]> rules = new ArrayList<>(plant.rules());
            rules.add(new String[] {"lat-hot", BenchRuleSet.document("lat-hot", "lat-.*", "thermal", 100, "WARNING",
                    "{\"all\":[{\"tag\":\"temperature\",\"op\":\">\",\"value\":80,\"for\":\"2s\"}]}")});
            HubConfig config = hubConfig(env);
            StateTimings timings = StateTimings.from(config);
            try (KafkaProducer<byte[], byte[]> producer = producer(env.bootstrapServers())) {
                publish(env.bootstrapServers(), rules);
                progress.say("%,d rules, writing %,d + %,d readings (warm-up + measured) of %,d machines...", rules.size(),
                        options.warmup(), options.readings(), options.machines());
                for (long seq = 0; seq < options.total(); seq++) {
                    producer.send(new ProducerRecord<>(TELEMETRY, bytes(plant.machineOf(seq)), plant.reading(seq)));
                }
                producer.flush();

                progress.say("baseline (plain consumer loop, same engine)...");
                RulesBaseline baseline = new RulesBaseline(env.bootstrapServers(), timings, rules);
                double baselinePerS = baseline.run(TELEMETRY, BASELINE_EVENTS, options.warmup(), options.total());
                progress.say("baseline %,.0f readings/s, %,d transitions", baselinePerS, baseline.counters().transitions());

                progress.say("the hub (Kafka Streams, exactly-once)...");
                HubRuntime hub = env.closeLater(new HubRuntime(config));
                hub.start();
                MeterRegistry registry = hub.context().getRegistry().findSingleByType(MeterRegistry.class);
                awaitRules(registry, rules.size());
                double hubPerS = throughput(registry, env.bootstrapServers());
                long hubTransitions = transitions(env.bootstrapServers(), EVENTS);
                progress.say("hub %,.0f readings/s, %,d transitions", hubPerS, hubTransitions);

                progress.say("delay at %,d readings/s for %d s...", options.rate(), options.seconds());
                LatencyRecorder delay = new LatencyRecorder();
                long[] matched = delay(env, producer, timings, delay);
                return report(hubPerS, baselinePerS, hubTransitions, transitions(env.bootstrapServers(), BASELINE_EVENTS),
                        (long) counter(registry, "factory.rules.readings.late").count(), delay, matched, rules.size());
            }
        }
    }

    private HubConfig hubConfig(BenchEnv env) throws Exception {
        Path empty = Files.createDirectories(env.dir.resolve("empty"));
        return env.hubConfig(empty)
                .with("factory.routes-dir", empty.toString()) // no flows: the topology is what is measured
                .with("factory.rules-dir", empty.toString()) // the bench's rules only, not the shipped ones
                .with("factory.ml.enabled", "false")
                .with("factory.dashboard.enabled", "false")
                .with("factory.streams.enabled", "true")
                .with("factory.streams.application-id", APPLICATION_ID);
    }

    /**
     * Readings per second after the warm-up: from the moment the hub's committed offsets cover the warm-up (without
     * one, from the first reading evaluated) to their covering everything. Exactly-once: a reading counts once its
     * state and events are committed.
     */
    private double throughput(MeterRegistry registry, String bootstrapServers) throws Exception {
        FunctionCounter evaluated = counter(registry, "factory.rules.readings");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
        long first = 0;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (long committed = committed(admin); committed < options.total(); committed = committed(admin)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + committed + " of " + options.total()
                            + " readings committed within 600 s");
                }
                if (first == 0 && (options.warmup() > 0 ? committed >= options.warmup() : evaluated.count() > 0)) {
                    first = System.nanoTime();
                }
                Thread.sleep(first == 0 && options.warmup() == 0 ? 1 : 20);
            }
        }
        return options.readings() / ((System.nanoTime() - first) / 1e9);
    }

    private static long committed(Admin admin) throws Exception {
        return admin.listConsumerGroupOffsets(APPLICATION_ID).partitionsToOffsetAndMetadata().get().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(TELEMETRY) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** The committed state-changed events of the burst's machines in {@code topic}. */
    private static long transitions(String bootstrapServers, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long count = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    if (!new String(record.key(), StandardCharsets.UTF_8).startsWith("lat-")) {
                        count++;
                    }
                }
            }
            return count;
        }
    }

    /** Paced readings of the latency machines; returns {transitions to WARNING seen, matched with a reading}. */
    private long[] delay(BenchEnv env, KafkaProducer<byte[], byte[]> producer, StateTimings timings, LatencyRecorder delay)
            throws Exception {
        Map<String, NavigableMap<Long, Long>> acked = new ConcurrentHashMap<>();
        AtomicLong seen = new AtomicLong();
        AtomicLong matched = new AtomicLong();
        try (KafkaTail tail = new KafkaTail(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), EVENTS, "rules-delay", (value, micros, nanos, record) -> {
            try {
                JsonNode event = JSON.readTree(value);
                if (!event.path("machineId").asText().startsWith("lat-") || !"WARNING".equals(event.path("to").asText())) {
                    return;
                }
                seen.incrementAndGet();
                long passed = Instant.parse(event.path("since").asText()).toEpochMilli() + timings.outOfOrderMs();
                Map.Entry<Long, Long> reading = acked.getOrDefault(event.path("machineId").asText(), new ConcurrentSkipListMap<>())
                        .ceilingEntry(passed);
                if (reading != null && reading.getValue() > 0) {
                    delay.record(micros - reading.getValue());
                    matched.incrementAndGet();
                }
            } catch (Exception e) {
                // not a state-changed event
            }
        })) {
            long total = (long) options.rate() * options.seconds();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / options.rate();
            long start = System.nanoTime();
            for (long seq = 0; seq < total; seq++) {
                long wait = start + seq * periodNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                int machine = (int) (seq % LATENCY_MACHINES);
                String machineId = "lat-%03d".formatted(machine);
                long now = System.currentTimeMillis();
                boolean hot = (now / 1000 + machine) / 3 % 2 == 1; // 3 s hot (the rule's 2 s and more), 3 s normal
                NavigableMap<Long, Long> times = acked.computeIfAbsent(machineId, id -> new ConcurrentSkipListMap<>());
                producer.send(new ProducerRecord<>(TELEMETRY, bytes(machineId),
                        BenchRuleSet.telemetry(machineId, "temperature", hot ? 90 : 40, Instant.ofEpochMilli(now))),
                        (metadata, error) -> times.put(now, error == null ? Readings.nowMicros() : -1L));
            }
            Thread.sleep(3000); // the last transitions committed
            return new long[] {seen.get(), matched.get()};
        }
    }

    /**
     * The rules on the control topic, each acknowledged before the next: a fresh broker may still be moving the new
     * topic's leader, and a retried first batch behind later ones was refused as out of sequence (seen: 721 of 1,001
     * rules arrived), which would have the hub evaluate other rules than the baseline.
     */
    private static void publish(String bootstrapServers, List<String[]> rules) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String[] rule : rules) {
                producer.send(new ProducerRecord<>(RULES, bytes(rule[0]), bytes(rule[1]))).get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** The hub's global rule store holds every rule (it is loaded before the stream threads read). */
    private static void awaitRules(MeterRegistry registry, int rules) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            var loaded = registry.find("factory.rules.loaded").gauge();
            if (loaded != null && loaded.value() == rules) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the hub did not load the " + rules + " rules within 60 s");
    }

    private static FunctionCounter counter(MeterRegistry registry, String name) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            FunctionCounter counter = registry.find(name).functionCounter();
            if (counter != null) {
                return counter;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the hub has no metric " + name);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private BenchReport report(double hubPerS, double baselinePerS, long hubTransitions, long baselineTransitions, long late,
                               LatencyRecorder delay, long[] matched, int rules) {
        double ratio = hubPerS / baselinePerS;
        double p99 = delay.percentileMillis(99);
        long rss = ProcessStats.rssMb();
        BenchReport r = new BenchReport("rules");
        r.put("hub_per_s", hubPerS).put("baseline_per_s", baselinePerS).put("ratio", ratio)
                .put("p50_ms", delay.percentileMillis(50)).put("p99_ms", p99).put("rss_mb", rss)
                .put("rules", rules).put("machines", options.machines()).put("readings", options.readings())
                .put("warmup", options.warmup())
                .put("transitions", hubTransitions).put("baseline_transitions", baselineTransitions).put("late", late)
                .put("rate", options.rate()).put("rate_seconds", options.seconds()).put("delay_events", matched[0])
                .put("delay_matched", matched[1]).put("max_ms", delay.maxMillis());
        r.row("readings evaluated/s (" + rules + " rules, " + options.machines() + " machines)", BenchReport.num(hubPerS),
                BenchReport.num(baselinePerS), ">= 50,000", hubPerS >= TARGET_PER_S);
        r.row("ratio to baseline", BenchReport.fixed(ratio, 2), "", ">= 0.5", ratio >= TARGET_RATIO);
        r.row("transitions", Long.toString(hubTransitions), Long.toString(baselineTransitions), "", null);
        r.row("watermark past duration -> event p50", BenchReport.ms(delay.percentileMillis(50)), "", "", null);
        r.row("watermark past duration -> event p99", BenchReport.ms(p99), "", "< 500 ms at " + options.rate() + "/s",
                p99 < TARGET_P99_MS);
        r.row("duration transitions matched", matched[1] + " / " + matched[0], "", "", null);
        r.row("JVM RSS", rss + " MB", "", "", null);
        r.note("readings/s over the last " + BenchReport.num(options.readings()) + " readings, after "
                + BenchReport.num(options.warmup()) + " of warm-up on each side");
        r.note("hub = the Streams topology, exactly-once, machine states with their waiting readings in a changelogged RocksDB store, "
                + "1 stream thread; baseline = the same engine in one plain consumer loop, nothing persisted");
        r.note("one JVM holds Kafka, the hub, the baseline and the bench's producer: they share the cores");
        return r;
    }
}
