package io.factoryhub.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.app.support.TelemetryPipe;
import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.sim.PahoPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code bench inference}: the shipped flow (routes/anomaly-detection.camel.yaml: factory Kafka -> inference-action
 * -> HTTP -> the hub's own OIP v2 server -> ONNX model -> factory.machine.anomalies) on an embedded Kafka, next to a
 * baseline that scores the same windows with the same ONNX file in a plain in-process loop ({@link OnnxBaseline}).
 *
 * <ol>
 *   <li>Throughput: {@code readings} telemetry events of {@code machines} machines written to Kafka at full speed;
 *   windows scored per second, from the first write to the last window scored (the action's own counter).</li>
 *   <li>Latency at {@code rate} readings/s for {@code seconds}: a spike reading acknowledged by Kafka -> its anomaly
 *   readable in Kafka (matched by the anomaly's factory_reading_id).</li>
 *   <li>Dashboard: {@code dashboardRate} sensor readings/s over MQTT through an ingest Pipe; sensor publish -> the
 *   anomaly event arriving at a dashboard client (Server-Sent Events).</li>
 * </ol>
 */
public final class InferenceBench {

    static final double TARGET_PER_S = 10_000;
    static final double TARGET_P99_MS = 100;
    static final double TARGET_DASHBOARD_P99_MS = 500;
    private static final String ROUTE = "anomaly-detection";
    private static final String TELEMETRY = "factory.machine.telemetry";
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Options(int readings, int machines, int rate, int seconds, int dashboardRate, int dashboardSeconds) {
    }

    private final HubConfig base;
    private final Options options;
    private final PrintWriter log;

    public InferenceBench(HubConfig base, Options options, PrintWriter log) {
        this.base = base;
        this.options = options;
        this.log = log;
    }

    public BenchReport run() throws Exception {
        try (BenchEnv env = new BenchEnv(base)) {
            env.startKafka(Map.of(TELEMETRY, env.partitions()));
            var broker = env.startBroker(null);
            Path connectors = TelemetryPipe.write(env.dir.resolve("connectors"), "bench-line", "mqtt5-source",
                    Map.of("brokerUrl", broker.serverUri(), "topic", "bench/bench-line/+/+"),
                    Map.of("format", "json", "line", "bench-line"), TELEMETRY);
            HubConfig config = env.hubConfig(connectors).with("factory.site", "bench");
            Path model = latestModel(config.getPath("factory.ml.model-repository").resolve("vibration-anomaly"));
            HubRuntime hub = env.closeLater(new HubRuntime(config));
            hub.start();
            int httpPort = config.getInt("factory.http.port");
            try (KafkaProducer<byte[], byte[]> producer = producer(env.bootstrapServers())) {
                warmUp(env, producer);
                log.printf("bench inference: %,d readings of %,d machines at full speed...%n", options.readings(), options.machines());
                log.flush();
                double[] burst = throughput(hub, producer);
                double hubPerS = burst[0];
                double baselinePerS;
                try (OnnxBaseline baseline = new OnnxBaseline(model)) {
                    VibrationSeries series = new VibrationSeries("baseline", options.machines());
                    baseline.windowsPerSecond(series, options.readings() / 4, 5, 64); // warm-up
                    baselinePerS = baseline.windowsPerSecond(series, options.readings(), 5, 64);
                }
                log.printf("bench inference: latency at %,d readings/s for %d s...%n", options.rate(), options.seconds());
                log.flush();
                LatencyRecorder kafkaLatency = new LatencyRecorder();
                Timer requests = hub.context().getRegistry().findSingleByType(MeterRegistry.class)
                        .find("factory.inference.action.request").tag("connector", ROUTE).timer();
                long[] spikes = latency(env, producer, kafkaLatency);
                // the latency phase's part of the request timer: the model server's share of the latency
                double[] requestMs = requestPercentilesMs(requests);
                log.printf("bench inference: sensor -> dashboard at %,d readings/s for %d s...%n", options.dashboardRate(),
                        options.dashboardSeconds());
                log.flush();
                LatencyRecorder dashboardLatency = new LatencyRecorder();
                long[] dashboardSpikes = dashboard(broker.serverUri(), httpPort, dashboardLatency);
                return report(hubPerS, baselinePerS, (long) burst[1], kafkaLatency, spikes, requestMs, dashboardLatency,
                        dashboardSpikes, model);
            }
        }
    }

    /** Scores windows until the first anomaly came out: the route's consumer is assigned and the model loaded. */
    private void warmUp(BenchEnv env, KafkaProducer<byte[], byte[]> producer) throws Exception {
        AtomicLong anomalies = new AtomicLong();
        try (KafkaTail tail = new KafkaTail(env.bootstrapServers(), "factory.machine.anomalies", "warmup",
                (value, micros, nanos, record) -> anomalies.incrementAndGet())) {
            VibrationSeries series = new VibrationSeries("warmup", 50);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            for (long seq = 0; anomalies.get() == 0; seq++) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no anomaly within 120 s: the anomaly-detection route does not score");
                }
                send(producer, series, seq, null);
                if (seq % 50 == 49) {
                    producer.flush();
                    Thread.sleep(20);
                }
            }
        }
    }

    /**
     * Windows scored per second over the burst. A model slower than the burst arrives skips windows (the readings'
     * flow never waits for it): those are counted, and the burst ends when every window was scored or skipped.
     * Returns {scored per second, windows skipped}.
     */
    private double[] throughput(HubRuntime hub, KafkaProducer<byte[], byte[]> producer) throws Exception {
        Counter scored = counter(hub, "factory.inference.action.windows.scored", null);
        Counter skipped = counter(hub, "factory.inference.action.windows.skipped", "backlog");
        double scoredBefore = scored.count();
        double skippedBefore = skipped.count();
        VibrationSeries series = new VibrationSeries("load", options.machines());
        long rounds = options.readings() / options.machines();
        long readings = rounds * options.machines();
        double expected = (double) (rounds - 4) * options.machines(); // a machine's first 4 readings fill its window
        long start = System.nanoTime();
        for (long seq = 0; seq < readings; seq++) {
            send(producer, series, seq, null);
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        long lastScoredAt = System.nanoTime();
        double lastScored = 0;
        while (scored.count() - scoredBefore + skipped.count() - skippedBefore < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + (long) (scored.count() - scoredBefore) + " scored and "
                        + (long) (skipped.count() - skippedBefore) + " skipped of " + (long) expected + " windows within 300 s");
            }
            if (scored.count() != lastScored) {
                lastScored = scored.count();
                lastScoredAt = System.nanoTime();
            }
            Thread.sleep(2);
        }
        Thread.sleep(100); // the batches in flight
        double windows = scored.count() - scoredBefore;
        double seconds = (Math.max(lastScoredAt, System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(100)) - start) / 1e9;
        double skippedWindows = skipped.count() - skippedBefore;
        log.printf("bench inference: %,.0f windows scored, %,.0f skipped (model slower than the burst), in %.2f s%n",
                windows, skippedWindows, seconds);
        log.flush();
        return new double[] {windows / seconds, skippedWindows};
    }

    /** Paced readings; returns {spikes sent, spikes flagged}. */
    private long[] latency(BenchEnv env, KafkaProducer<byte[], byte[]> producer, LatencyRecorder latency) throws Exception {
        Map<String, Long> spikeAcks = new ConcurrentHashMap<>();
        AtomicLong flagged = new AtomicLong();
        try (KafkaTail tail = new KafkaTail(env.bootstrapServers(), "factory.machine.anomalies", "latency",
                (value, micros, nanos, record) -> {
                    Header reading = record.headers().lastHeader("factory_reading_id");
                    Long ackedAt = reading == null ? null : spikeAcks.get(new String(reading.value(), StandardCharsets.UTF_8));
                    if (ackedAt != null && ackedAt > 0) {
                        latency.record(micros - ackedAt);
                        flagged.incrementAndGet();
                    }
                })) {
            VibrationSeries series = new VibrationSeries("paced", Math.min(options.machines(), options.rate() / 10));
            long total = (long) options.rate() * options.seconds();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / options.rate();
            long start = System.nanoTime();
            long spikes = 0;
            for (long seq = 0; seq < total; seq++) {
                long due = start + seq * periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                boolean spike = series.value(seq) > 10;
                if (spike) {
                    spikes++;
                }
                send(producer, series, seq, spike ? spikeAcks : null);
            }
            awaitQuiet(flagged, spikes);
            return new long[] {spikes, flagged.get()};
        }
    }

    /** MQTT publishes through the ingest Pipe; anomalies at a dashboard client. Returns {spikes sent, seen}. */
    private long[] dashboard(String brokerUri, int httpPort, LatencyRecorder latency) throws Exception {
        AtomicLong seen = new AtomicLong();
        VibrationSeries series = new VibrationSeries("sensor", Math.max(1, options.dashboardRate() / 10));
        try (DashboardClient client = new DashboardClient(httpPort, (json, micros) -> {
                 try {
                     JsonNode anomaly = JSON.readTree(json);
                     if (!anomaly.path("machineId").asText().startsWith("sensor-")) {
                         return;
                     }
                     JsonNode times = anomaly.at("/window/times");
                     long published = Instant.parse(times.get(times.size() - 1).asText()).toEpochMilli() * 1000;
                     latency.record(micros - published);
                     seen.incrementAndGet();
                 } catch (Exception e) {
                     // not an anomaly event of ours
                 }
             }).connected();
             PahoPublisher publisher = new PahoPublisher(brokerUri, "bench-sensors")) {
            publisher.connect();
            long total = (long) options.dashboardRate() * options.dashboardSeconds();
            long periodNanos = TimeUnit.SECONDS.toNanos(1) / options.dashboardRate();
            long start = System.nanoTime();
            long spikes = 0;
            for (long seq = 0; seq < total; seq++) {
                long wait = start + seq * periodNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (series.value(seq) > 10) {
                    spikes++;
                }
                publisher.publish("bench/bench-line/" + series.machine(seq) + "/vibration", series.sensorPayload(seq, Instant.now()));
            }
            awaitQuiet(seen, spikes);
            return new long[] {spikes, seen.get()};
        }
    }

    /** Until every spike came back, or nothing came for 5 s. */
    private static void awaitQuiet(AtomicLong counter, long expected) throws InterruptedException {
        long last = -1;
        long quietSince = System.nanoTime();
        while (counter.get() < expected && System.nanoTime() - quietSince < TimeUnit.SECONDS.toNanos(5)) {
            if (counter.get() != last) {
                last = counter.get();
                quietSince = System.nanoTime();
            }
            Thread.sleep(50);
        }
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, VibrationSeries series, long seq, Map<String, Long> acks) {
        String id = series.machine(seq) + "/" + seq;
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(TELEMETRY,
                series.machine(seq).getBytes(StandardCharsets.UTF_8), series.telemetryEvent(seq, Instant.now()));
        record.headers().add("ce_id", id.getBytes(StandardCharsets.UTF_8));
        if (acks == null) {
            producer.send(record);
            return;
        }
        acks.put(id, 0L);
        producer.send(record, (metadata, error) -> acks.put(id, error == null ? Readings.nowMicros() : -1L));
    }

    private static Counter counter(HubRuntime hub, String name, String reason) throws InterruptedException {
        MeterRegistry registry = hub.context().getRegistry().findSingleByType(MeterRegistry.class);
        for (int i = 0; i < 600; i++) {
            var search = registry.find(name).tag("connector", ROUTE);
            Counter counter = (reason == null ? search : search.tag("reason", reason)).counter();
            if (counter != null) {
                return counter;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the " + ROUTE + " route's inference-action has no metric " + name);
    }

    /** p50 and p99 of the action's requests so far (Micrometer's decaying percentiles: the last two minutes). */
    private static double[] requestPercentilesMs(Timer requests) {
        double[] ms = {Double.NaN, Double.NaN};
        for (ValueAtPercentile value : requests.takeSnapshot().percentileValues()) {
            if (value.percentile() == 0.5) {
                ms[0] = value.value(TimeUnit.MILLISECONDS);
            } else if (value.percentile() == 0.99) {
                ms[1] = value.value(TimeUnit.MILLISECONDS);
            }
        }
        return ms;
    }

    private static Path latestModel(Path modelDir) throws Exception {
        try (Stream<Path> versions = Files.list(modelDir)) {
            return versions.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .max((a, b) -> Integer.compare(Integer.parseInt(a.getFileName().toString()),
                            Integer.parseInt(b.getFileName().toString())))
                    .map(p -> p.resolve("model.onnx"))
                    .orElseThrow(() -> new IllegalStateException("no model version in " + modelDir));
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrapServers) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private BenchReport report(double hubPerS, double baselinePerS, long skipped, LatencyRecorder kafka, long[] spikes, double[] requestMs,
                               LatencyRecorder dashboard, long[] dashboardSpikes, Path model) {
        double ratio = hubPerS / baselinePerS;
        double p99 = kafka.percentileMillis(99);
        double dashboardP99 = dashboard.percentileMillis(99);
        long rss = ProcessStats.rssMb();
        BenchReport r = new BenchReport("inference");
        r.put("hub_per_s", hubPerS).put("baseline_per_s", baselinePerS).put("ratio", ratio)
                .put("p50_ms", kafka.percentileMillis(50)).put("p99_ms", p99).put("rss_mb", rss)
                .put("readings", options.readings()).put("machines", options.machines()).put("skipped", skipped)
                .put("rate", options.rate()).put("rate_seconds", options.seconds())
                .put("spikes", spikes[0]).put("spikes_flagged", spikes[1]).put("max_ms", kafka.maxMillis())
                .put("request_p50_ms", requestMs[0]).put("request_p99_ms", requestMs[1])
                .put("dashboard_rate", options.dashboardRate()).put("dashboard_p50_ms", dashboard.percentileMillis(50))
                .put("dashboard_p99_ms", dashboardP99).put("dashboard_max_ms", dashboard.maxMillis())
                .put("dashboard_spikes", dashboardSpikes[0]).put("dashboard_spikes_seen", dashboardSpikes[1]);
        r.row("windows scored/s (full speed)", BenchReport.num(hubPerS), BenchReport.num(baselinePerS), ">= 10,000",
                hubPerS >= TARGET_PER_S);
        r.row("ratio to baseline", BenchReport.fixed(ratio, 2), "", "", null);
        r.row("windows skipped in the burst", Long.toString(skipped), "", "", null);
        r.row("reading in Kafka -> anomaly in Kafka p50", BenchReport.ms(kafka.percentileMillis(50)), "", "", null);
        r.row("reading in Kafka -> anomaly in Kafka p99", BenchReport.ms(p99), "", "< 100 ms at " + options.rate() + "/s",
                p99 < TARGET_P99_MS);
        r.row("spikes flagged", spikes[1] + " / " + spikes[0], "", "", null);
        r.row("of which the model request p50 / p99", BenchReport.ms(requestMs[0]) + " / " + BenchReport.ms(requestMs[1]), "", "", null);
        r.row("sensor publish -> dashboard p50", BenchReport.ms(dashboard.percentileMillis(50)), "", "", null);
        r.row("sensor publish -> dashboard p99", BenchReport.ms(dashboardP99), "", "< 500 ms", dashboardP99 < TARGET_DASHBOARD_P99_MS);
        r.row("dashboard spikes seen", dashboardSpikes[1] + " / " + dashboardSpikes[0], "", "", null);
        r.row("JVM RSS", rss + " MB", "", "", null);
        r.note("model " + model + "; baseline = the same windows, batches of 64, ONNX Runtime in-process, one thread");
        r.note("one JVM holds Kafka, the MQTT broker's client side, the hub, the bench producer and consumers: they share the 2 cores");
        return r;
    }
}
