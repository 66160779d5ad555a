package io.factoryhub.bench;

import io.factoryhub.testkit.FreePorts;
import io.factoryhub.app.plant.EmbeddedPlant;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.mirror.ExternalCluster;
import io.factoryhub.hub.mirror.MirrorRunner;
import io.factoryhub.hub.mirror.MirrorSettings;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bench mirror}: MirrorMaker2 (the hub's runner, mirror-config/mm2.properties) from an embedded factory Kafka
 * to an embedded external cluster (SASL_SSL, SCRAM-SHA-512, ACLs: the plant's), next to a raw consume->produce loop
 * ({@link RawMirrorLoop}) between the same two clusters, in the same run.
 *
 * <ol>
 *   <li>Throughput: with the copier running (the raw loop first, then MirrorMaker2), a warm-up batch, then
 *   {@code records} records of ~200 bytes written at full speed to the factory: records/s on the external cluster from
 *   the first of them to the last (MirrorMaker's start-up, ~5 s of Connect, is not counted). {@code rounds} rounds,
 *   each copier's best reported, and the median of the rounds' hub/raw ratios.</li>
 *   <li>Lag: {@code rate} records/s for {@code seconds} s through the running MirrorMaker2, then through the raw loop:
 *   record timestamp (set when produced) -> polled on the external cluster, p50/p99, the first 2 s left out.</li>
 * </ol>
 */
public final class MirrorBench {

    static final double TARGET_PER_S = 80_000;
    static final double TARGET_RATIO = 0.8;
    static final double TARGET_P99_MS = 2_000;
    private static final String THROUGHPUT = "factory.bench.mirror";
    /** Not matched by mm2.properties' topics: the raw loop's own source topics. */
    private static final String RAW_THROUGHPUT = "bench.mirror.raw";
    private static final long WARM_UP_RECORDS = 10_000;
    private static final String LATENCY = "factory.bench.mirror-lag";
    private static final String RAW_LATENCY = "bench.mirror-lag.raw";
    private static final long WARM_UP_MS = 2_000;

    /**
     * @param records records per throughput round
     * @param rounds  throughput rounds per copier, the best counts
     * @param rate    lag phase msg/s
     * @param seconds lag phase length
     */
    public record Options(int records, int rounds, int rate, int seconds) {
        public static Options defaults() {
            return new Options(300_000, 5, 10_000, 15);
        }
    }

    private final HubConfig base;
    private final Options options;
    private final BenchProgress progress;

    public MirrorBench(HubConfig base, Options options, PrintWriter log) {
        this.base = base;
        this.options = options;
        this.progress = new BenchProgress(log, "mirror");
    }

    public BenchReport run() throws Exception {
        try (BenchEnv env = new BenchEnv(base)) {
            int partitions = env.partitions();
            env.startKafka(Map.of(THROUGHPUT, partitions, LATENCY, partitions, RAW_THROUGHPUT, partitions, RAW_LATENCY, partitions));
            HubConfig config = EmbeddedPlant.externalOnly(base, env.dir.resolve("external"), FreePorts.next(), FreePorts.next())
                    .with("factory.kafka.bootstrap-servers", env.bootstrapServers());
            env.closeLater(new EmbeddedPlant(config)).start();
            MirrorSettings settings = MirrorSettings.from(config);
            Map<String, String> admin = ExternalCluster.as(config, "admin").clientProperties();
            Admin external = env.closeLater(Admin.create(new HashMap<String, Object>(admin)));
            external.createTopics(List.of(new NewTopic("raw." + RAW_THROUGHPUT, partitions, (short) 1),
                    new NewTopic("raw." + RAW_LATENCY, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            KafkaProducer<byte[], byte[]> factory = env.closeLater(factoryProducer(env.bootstrapServers()));

            // Both copiers stay up from their first round on, idle while the other one works. The machine is shared:
            // throughput is the best round of each, the ratio the median of the rounds' ratios (the two halves of a
            // round run back to back, in alternating order, so they see about the same load from elsewhere).
            RawMirrorLoop raw = env.closeLater(rawLoop(env, settings, admin, RAW_THROUGHPUT, partitions));
            MirrorRunner mirror = env.closeLater(MirrorRunner.start(settings, env.bootstrapServers(), ExternalCluster.as(config, "mm2")));
            double rawPerS = 0;
            double hubPerS = 0;
            double[] ratios = new double[options.rounds()];
            for (int round = 1; round <= options.rounds(); round++) {
                double rawRound;
                double hubRound;
                if (round % 2 == 1) {
                    rawRound = burst(factory, external, RAW_THROUGHPUT, "raw." + RAW_THROUGHPUT, partitions, round);
                    hubRound = burst(factory, external, THROUGHPUT, settings.site() + "." + THROUGHPUT, partitions, round);
                } else {
                    hubRound = burst(factory, external, THROUGHPUT, settings.site() + "." + THROUGHPUT, partitions, round);
                    rawRound = burst(factory, external, RAW_THROUGHPUT, "raw." + RAW_THROUGHPUT, partitions, round);
                }
                rawPerS = Math.max(rawPerS, rawRound);
                hubPerS = Math.max(hubPerS, hubRound);
                ratios[round - 1] = hubRound / rawRound;
                progress.say("round %d of %d, %,d records of ~200 bytes at full speed: raw loop %,.0f/s, MirrorMaker2 %,.0f/s",
                        round, options.rounds(), options.records(), rawRound, hubRound);
            }
            Arrays.sort(ratios);
            double ratio = options.rounds() % 2 == 1 ? ratios[options.rounds() / 2]
                    : (ratios[options.rounds() / 2 - 1] + ratios[options.rounds() / 2]) / 2;
            raw.close();
            progress.say("lag at %,d records/s for %d s", options.rate(), options.seconds());

            LatencyRecorder hubLag = lag(factory, admin, LATENCY, settings.site() + "." + LATENCY);
            mirror.close();
            LatencyRecorder rawLag;
            try (RawMirrorLoop rawLagLoop = rawLoop(env, settings, admin, RAW_LATENCY, partitions)) {
                rawLag = lag(factory, admin, RAW_LATENCY, "raw." + RAW_LATENCY);
            }
            return report(hubPerS, rawPerS, ratio, hubLag, rawLag);
        }
    }

    private BenchReport report(double hubPerS, double rawPerS, double ratio, LatencyRecorder hubLag, LatencyRecorder rawLag) {
        double p50 = hubLag.percentileMillis(50);
        double p99 = hubLag.percentileMillis(99);
        long rss = ProcessStats.rssMb();
        BenchReport report = new BenchReport("mirror")
                .put("hub_per_s", hubPerS).put("baseline_per_s", rawPerS).put("ratio", ratio)
                .put("p50_ms", p50).put("p99_ms", p99).put("rss_mb", rss)
                .put("records", options.records()).put("lag_rate_per_s", options.rate())
                .put("baseline_p50_ms", rawLag.percentileMillis(50)).put("baseline_p99_ms", rawLag.percentileMillis(99));
        report.row(String.format("mirrored records/s (%,d x ~200 B, best of %d)", options.records(), options.rounds()), BenchReport.num(hubPerS),
                BenchReport.num(rawPerS), ">= 80,000", hubPerS >= TARGET_PER_S);
        report.row(String.format("ratio to the raw loop (median of %d rounds)", options.rounds()), BenchReport.fixed(ratio, 2), "",
                ">= 0.80", ratio >= TARGET_RATIO);
        report.row(String.format("lag p50 at %,d/s", options.rate()), BenchReport.ms(p50), BenchReport.ms(rawLag.percentileMillis(50)), "", null);
        report.row(String.format("lag p99 at %,d/s", options.rate()), BenchReport.ms(p99), BenchReport.ms(rawLag.percentileMillis(99)),
                "< 2,000 ms", p99 < TARGET_P99_MS);
        report.row("RSS (both brokers, MirrorMaker2, clients)", rss + " MB", "", "", null);
        report.note("hub = MirrorMaker2 in-process from mirror-config/mm2.properties; baseline = one consumer->producer thread, "
                + "same clusters, same client tuning; external cluster SASL_SSL + SCRAM-SHA-512 for both");
        report.note(String.format("lag samples: hub %,d, raw %,d (produced -> polled on the external cluster)", hubLag.count(), rawLag.count()));
        return report;
    }

    /** The raw loop with MirrorMaker's own client tuning from mm2.properties. */
    private static RawMirrorLoop rawLoop(BenchEnv env, MirrorSettings settings, Map<String, String> admin, String topic, int partitions) {
        Map<String, String> source = new HashMap<>(prefixed(settings.properties(), settings.site() + ".consumer."));
        source.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, env.bootstrapServers());
        Map<String, String> sink = new HashMap<>(prefixed(settings.properties(), settings.target() + ".producer."));
        sink.putAll(admin);
        return new RawMirrorLoop(source, sink, topic, partitions, "raw." + topic);
    }

    private static Map<String, String> prefixed(Map<String, String> properties, String prefix) {
        Map<String, String> matching = new HashMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                matching.put(key.substring(prefix.length()), value);
            }
        });
        return matching;
    }

    /**
     * The copier already runs: a warm-up batch first (its consumers, producers and, for MirrorMaker, its tasks are
     * up once that arrived), then {@code records} written at full speed; records/s on the external cluster from the
     * first of them to the last.
     */
    private double burst(KafkaProducer<byte[], byte[]> factory, Admin external, String source, String mirrored, int partitions,
                         int round) throws Exception {
        long before = (round - 1) * (WARM_UP_RECORDS + options.records());
        for (long seq = 0; seq < WARM_UP_RECORDS; seq++) {
            factory.send(record(source, seq, System.currentTimeMillis()));
        }
        factory.flush();
        drainRate(external, mirrored, partitions, before, before + WARM_UP_RECORDS);
        for (long seq = 0; seq < options.records(); seq++) {
            factory.send(record(source, seq, System.currentTimeMillis()));
        }
        factory.flush();
        return drainRate(external, mirrored, partitions, before + WARM_UP_RECORDS, before + WARM_UP_RECORDS + options.records());
    }

    /** Records/s on {@code topic} from the first one after {@code before} to the last expected one. */
    private static double drainRate(Admin admin, String topic, int partitions, long before, long expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        long firstNanos = 0;
        long firstCount = 0;
        while (System.nanoTime() < deadline) {
            long count = endOffsets(admin, topic, partitions);
            long now = System.nanoTime();
            if (firstNanos == 0 && count > before) {
                firstNanos = now;
                firstCount = count;
            }
            if (count >= expected) {
                return (expected - firstCount) / ((now - firstNanos) / 1e9);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(topic + " did not reach " + expected + " records within 5 minutes");
    }

    private static long endOffsets(Admin admin, String topic, int partitions) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            request.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        try {
            return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
        } catch (Exception e) {
            return 0; // the mirror has not created the topic yet
        }
    }

    /** Paced load into {@code source}; produce timestamp -> polled from {@code mirrored}, after the warm-up. */
    private LatencyRecorder lag(KafkaProducer<byte[], byte[]> factory, Map<String, String> external, String source, String mirrored)
            throws InterruptedException {
        LatencyRecorder recorder = new LatencyRecorder();
        long measureFrom = System.currentTimeMillis() + WARM_UP_MS;
        long total = (long) options.rate() * options.seconds();
        try (KafkaTail tail = new KafkaTail(external, mirrored, "lag-" + source, (value, micros, nanos, record) -> {
            if (record.timestamp() >= measureFrom) {
                recorder.record(micros - record.timestamp() * 1000);
            }
        })) {
            long start = System.nanoTime();
            for (long seq = 0; seq < total; seq++) {
                long due = start + seq * 1_000_000_000L / options.rate();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                factory.send(record(source, seq, System.currentTimeMillis()));
            }
            factory.flush();
            Thread.sleep(3_000); // the tail of the load arrives
        }
        return recorder;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic, long seq, long timestamp) {
        return new ProducerRecord<>(topic, null, timestamp, Readings.machineId(seq).getBytes(StandardCharsets.UTF_8),
                Readings.payload(seq, Instant.ofEpochMilli(timestamp)));
    }

    private static KafkaProducer<byte[], byte[]> factoryProducer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 131072, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

}
