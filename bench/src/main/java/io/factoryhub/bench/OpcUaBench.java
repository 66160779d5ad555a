package io.factoryhub.bench;

import io.factoryhub.testkit.FreePorts;
import io.factoryhub.app.support.TelemetryPipe;
import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.opcua.OpcUaConnections;
import io.factoryhub.hub.opcua.OpcUaSubscriptionConsumer;
import io.factoryhub.plant.opcua.OpcUaMachineServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Route;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code bench opcua}: an OPC-UA server with N Double variables (default 20,000), all updated once a second with
 * sourceTime = now, read by the hub (Pipe: opcua-source, sampling 1000 ms, all node ids -> normalize opcua ->
 * Kafka) and then by a plain Milo client -> KafkaProducer ({@link MiloBaselineClient}). For each: items/s arriving
 * in Kafka and the latency sourceTime -> record readable by a consumer, measured after a warm-up.
 */
public final class OpcUaBench {

    /** Options of the stage. */
    public record Options(int items, int seconds, int warmupSeconds) {
    }

    private record Part(double perSecond, long sourcedRecords, double p50, double p99, double max, long dropped, long rss,
                        double complete, double sourcedP99) {
    }

    static final double TARGET_P99_MS = 1100;
    private static final String HUB_TOPIC = "bench.opcua";
    private static final String RAW_TOPIC = "bench.opcua-raw";
    private static final double SAMPLING_MS = 1000;
    /** The opcua-source kamelet's default, used for the baseline too. */
    private static final double PUBLISHING_MS = 100;
    /** The opcua-subscription component's default queue size. */
    private static final int QUEUE_SIZE = 10;
    private static final long GRACE_MILLIS = 5_000;

    private final HubConfig base;
    private final Options options;
    private final BenchProgress progress;

    public OpcUaBench(HubConfig base, Options options, PrintWriter log) {
        this.base = base;
        this.options = options;
        this.progress = new BenchProgress(log, "opcua");
    }

    /**
     * Counts the records whose sourceTime lies in the window and their latency. Windowing by sourceTime (not by
     * arrival) counts whole update rounds, so items/s is exact rather than off by a round at either edge; the
     * consumer keeps reading for a grace period after the window so late records of the last rounds still count.
     */
    private static final class WindowCounter implements KafkaTail.Handler {
        final LatencyRecorder latency = new LatencyRecorder();
        /** Everything polled during the window whatever its sourceTime: shows the rate of a path that lags behind. */
        final LatencyRecorder arrivalLatency = new LatencyRecorder();
        final long fromMicros;
        final long toMicros;
        volatile long records;
        volatile long arrivals;
        // records/arrivals are written by the consumer thread only and read after it stopped

        WindowCounter(long fromMicros, long toMicros) {
            this.fromMicros = fromMicros;
            this.toMicros = toMicros;
        }

        @Override
        public void onRecord(String value, long polledMicros, long polledNanos, ConsumerRecord<byte[], byte[]> record) {
            long source = Readings.sourceMicros(value);
            if (polledMicros >= fromMicros && polledMicros < toMicros) {
                arrivals++;
                arrivalLatency.record(polledMicros - source);
            }
            if (source < fromMicros || source >= toMicros) {
                return;
            }
            records++;
            latency.record(polledMicros - source);
        }
    }

    public BenchReport run() throws Exception {
        try (BenchEnv env = new BenchEnv(base)) {
            int partitions = env.partitions();
            env.startKafka(Map.of(HUB_TOPIC, partitions, RAW_TOPIC, partitions));
            List<String> paths = new ArrayList<>(options.items());
            for (int i = 0; i < options.items(); i++) {
                paths.add(String.format("bench/line-%02d/machine-%04d/%s", i / 1000, i / 2, i % 2 == 0 ? "vibration" : "temperature"));
            }
            List<String> nodeIds = paths.stream().map(p -> "ns=2;s=" + p).toList();
            long t0 = System.nanoTime();
            OpcUaMachineServer server = env.closeLater(new OpcUaMachineServer(FreePorts.next(), env.dir.resolve("opcua-pki"), paths));
            server.start();
            progress.say("OPC-UA server %s with %d variables started in %.1f s", server.endpointUrl(), paths.size(), (System.nanoTime() - t0) / 1e9);

            // all variables once a second, sourceTime = the moment each is set
            AtomicLong round = new AtomicLong();
            AtomicLong roundMillis = new AtomicLong();
            AtomicLong roundStartMicros = new AtomicLong();
            ScheduledExecutorService updater = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-opcua-updater");
                t.setDaemon(true);
                return t;
            });
            env.closeLater(updater::shutdownNow);
            updater.scheduleAtFixedRate(() -> {
                long r = round.incrementAndGet();
                long start = System.nanoTime();
                roundStartMicros.set(Readings.nowMicros());
                for (int i = 0; i < paths.size(); i++) {
                    server.setValue(paths.get(i), r * 100_000.0 + i, Instant.now());
                }
                roundMillis.set((System.nanoTime() - start) / 1_000_000);
            }, 0, 1, TimeUnit.SECONDS);

            BenchNodeIds.set(nodeIds);
            HubConfig hubConfig = env.hubConfig(writePipe(env.dir.resolve("connectors"), server.endpointUrl()))
                    .with("factory.opcua.endpoint", server.endpointUrl())
                    // Camel Main creates the bean before the hub loads the Pipe that names it
                    .with("camel.beans.benchNodeIds", "#class:" + BenchNodeIds.class.getName());
            progress.say("starting the hub (Pipe bench-opcua: opcua-source %d node ids, sampling %.0f ms -> normalize opcua -> %s)",
                    nodeIds.size(), SAMPLING_MS, HUB_TOPIC);
            Part hub;
            HubRuntime runtime = new HubRuntime(hubConfig);
            try {
                t0 = System.nanoTime();
                runtime.start();
                IngestBench.requireRoute(runtime, "bench-opcua");
                awaitConnected(OpcUaConnections.of(runtime.context()), 120);
                progress.say("hub: subscription with %d items up %.1f s after start", nodeIds.size(), (System.nanoTime() - t0) / 1e9);
                Route route = runtime.context().getRoute("bench-opcua");
                hub = measure("hub", env, HUB_TOPIC, () -> route.getConsumer() instanceof OpcUaSubscriptionConsumer c ? c.droppedCount() : -1, roundStartMicros);
            } finally {
                runtime.close();
            }

            progress.say("starting the baseline (Milo subscription -> KafkaProducer, no Camel)");
            Part raw;
            t0 = System.nanoTime();
            try (MiloBaselineClient baseline = new MiloBaselineClient(server.endpointUrl(), nodeIds, SAMPLING_MS, PUBLISHING_MS,
                    QUEUE_SIZE, env.bootstrapServers(), RAW_TOPIC, base.getInt("factory.kafka.linger-ms"),
                    base.getInt("factory.kafka.batch-size"), base.get("factory.kafka.compression"))) {
                progress.say("baseline: subscription with %d items up in %.1f s", nodeIds.size(), (System.nanoTime() - t0) / 1e9);
                raw = measure("baseline", env, RAW_TOPIC, () -> 0, roundStartMicros);
            }
            return report(hub, raw, roundMillis.get());
        }
    }

    private Part measure(String name, BenchEnv env, String topic, java.util.function.LongSupplier dropped,
                         AtomicLong roundStartMicros) throws Exception {
        Thread.sleep(options.warmupSeconds() * 1000L);
        // start the window 100 ms before the next update round, so it holds exactly `seconds` whole rounds
        long current = roundStartMicros.get();
        while (roundStartMicros.get() == current) {
            Thread.sleep(5);
        }
        long from = roundStartMicros.get() + 1_000_000L - 100_000L;
        long to = from + options.seconds() * 1_000_000L;
        long droppedBefore = dropped.getAsLong();
        WindowCounter counter = new WindowCounter(from, to);
        try (KafkaTail tail = new KafkaTail(env.bootstrapServers(), topic, name, counter)) {
            // the window, then a grace period for the last rounds' records: a latency target of 1.1 s, so 5 s is ample
            long sleepMillis = (to - Readings.nowMicros()) / 1000 + GRACE_MILLIS;
            Thread.sleep(Math.max(0, sleepMillis));
            if (tail.failure() != null) {
                throw new IllegalStateException("Kafka consumer failed", tail.failure());
            }
        }
        // items/s into Kafka = records that became readable during the window; their age is the latency. A path
        // that keeps up has the same figures for the records sourced in the window (checked as completeness).
        double perSecond = counter.arrivals / (double) options.seconds();
        LatencyRecorder l = counter.arrivalLatency;
        double complete = counter.records / ((double) options.items() * options.seconds());
        long rss = ProcessStats.rssMb();
        Part part = new Part(perSecond, counter.records, l.percentileMillis(50), l.percentileMillis(99), l.maxMillis(),
                dropped.getAsLong() - droppedBefore, rss, complete, counter.latency.percentileMillis(99));
        progress.say("%s: %.0f items/s into Kafka, age p50 %.0f ms, p99 %.0f ms, max %.0f ms; of the values sourced in the"
                        + " %d s window %.1f%% arrived within %d s (their p99 %.0f ms); RSS %d MB", name,
                perSecond, part.p50(), part.p99(), part.max(), options.seconds(), complete * 100, GRACE_MILLIS / 1000,
                part.sourcedP99(), rss);
        return part;
    }

    private void awaitConnected(OpcUaConnections connections, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Map<String, Boolean> state = connections.snapshot();
            if (!state.isEmpty() && connections.allConnected()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the hub's OPC-UA subscription was not up after " + seconds + " s");
    }

    private BenchReport report(Part hub, Part raw, long lastRoundMillis) {
        double ratio = hub.perSecond() / raw.perSecond();
        BenchReport r = new BenchReport("opcua");
        r.put("hub_per_s", hub.perSecond()).put("baseline_per_s", raw.perSecond()).put("ratio", ratio)
                .put("p50_ms", hub.p50()).put("p99_ms", hub.p99()).put("rss_mb", Math.max(hub.rss(), raw.rss()))
                .put("items", options.items()).put("expected_per_s", (double) options.items())
                .put("seconds", options.seconds()).put("sampling_ms", SAMPLING_MS).put("publishing_ms", PUBLISHING_MS)
                .put("baseline_p50_ms", raw.p50()).put("baseline_p99_ms", raw.p99())
                .put("max_ms", hub.max()).put("baseline_max_ms", raw.max())
                .put("dropped", hub.dropped()).put("rss_mb_hub", hub.rss()).put("rss_mb_baseline", raw.rss())
                .put("server_update_round_ms", lastRoundMillis)
                .put("complete", hub.complete()).put("baseline_complete", raw.complete())
                .put("sourced_p99_ms", hub.sourcedP99()).put("baseline_sourced_p99_ms", raw.sourcedP99());
        r.row("variables (1 update/s each)", Integer.toString(options.items()), Integer.toString(options.items()), "", null);
        r.row("items/s into Kafka", BenchReport.num(hub.perSecond()), BenchReport.num(raw.perSecond()),
                "= " + BenchReport.num(options.items()) + " (all)", hub.perSecond() >= options.items() * 0.999);
        r.row("hub / baseline", BenchReport.fixed(ratio, 3), "", "", null);
        r.row("values sourced in window that arrived", BenchReport.fixed(hub.complete() * 100, 1) + " %",
                BenchReport.fixed(raw.complete() * 100, 1) + " %", "100 % (within " + GRACE_MILLIS / 1000 + " s)",
                hub.complete() >= 0.999);
        r.row("latency p50 (sourceTime->Kafka)", BenchReport.ms(hub.p50()), BenchReport.ms(raw.p50()), "", null);
        r.row("latency p99", BenchReport.ms(hub.p99()), BenchReport.ms(raw.p99()), "< 1,100 ms", hub.p99() < TARGET_P99_MS);
        r.row("latency max", BenchReport.ms(hub.max()), BenchReport.ms(raw.max()), "", null);
        r.row("dropped in hub lanes", Long.toString(hub.dropped()), "", "0", hub.dropped() == 0);
        r.row("JVM RSS after part", hub.rss() + " MB", raw.rss() + " MB", "", null);
        r.note("sampling " + (long) SAMPLING_MS + " ms + publishing " + (long) PUBLISHING_MS + " ms bound the latency from"
                + " below: a change waits up to one sampling interval for the server to sample it");
        r.note("one JVM holds the OPC-UA server (its update round took " + lastRoundMillis + " ms), Kafka, and the path under test");
        return r;
    }

    /** The node ids come from the bean benchNodeIds. */
    private static Path writePipe(Path connectors, String endpoint) throws Exception {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("endpointUri", endpoint);
        source.put("nodeIds", "#benchNodeIds");
        source.put("samplingInterval", Long.toString((long) SAMPLING_MS));
        Map<String, String> normalize = new LinkedHashMap<>();
        normalize.put("format", "opcua");
        normalize.put("connector", "bench-opcua");
        return TelemetryPipe.write(connectors, "bench-opcua", "opcua-source", source, normalize, HUB_TOPIC);
    }

}
