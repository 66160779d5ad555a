package io.factoryhub.bench;

import io.factoryhub.app.support.TelemetryPipe;
import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.camel.Route;

/**
 * {@code bench ingest}: MQTT 5 QoS 1 JSON readings into Kafka, through the hub (mqtt5-source ->
 * telemetry-normalize-action -> factory-kafka-sink), through the peer (the plain Camel route a Camel K user writes,
 * {@link IndustrialEdgePeer}) and through {@link RawMqttKafkaBridge}, one after the other in the same JVM on the same
 * Kafka and broker with the same load and the same checks, so the columns compare like with like.
 *
 * <p>Each part: a warm-up burst (JIT of broker, Kafka and path), then a burst of N messages as fast as the
 * publishers' windows allow (sustained msg/s = N / (first publish .. last record readable), every sequence number
 * verified), then a fixed-rate phase giving publish -> readable latency. Each path is stopped before the next one
 * starts: on 2 cores an idle second pipeline would still cost.
 */
public final class IngestBench {

    /** Options of the stage. */
    public record Options(int messages, int rate, int rateSeconds, int publishers, int window, int warmup, String broker,
                          int maxOutstanding) {
    }

    private record Part(double perSecond, int distinct, int missing, long duplicates, double seconds,
                        double p50, double p99, double max, int samples, double achievedRate, int latencyMissing,
                        long rssThroughput, long rssLatency) {
    }

    static final double TARGET_PER_S = 25_000;
    static final double TARGET_RATIO = 0.85;
    static final double TARGET_P99_MS = 50;

    static final String HUB_TOPIC = "bench.hub";
    static final String HUB_PREFIX = "bench/hub";
    private static final String PEER_TOPIC = "bench.peer";
    private static final String PEER_PREFIX = "bench/peer";
    private static final String RAW_TOPIC = "bench.raw";
    private static final long THROUGHPUT_BASE = 10_000_000L;
    private static final long LATENCY_BASE = 20_000_000L;

    private final HubConfig base;
    private final Options options;
    private final BenchProgress progress;

    public IngestBench(HubConfig base, Options options, PrintWriter log) {
        this.base = base;
        this.options = options;
        this.progress = new BenchProgress(log, "ingest");
    }

    public BenchReport run() throws Exception {
        try (BenchEnv env = new BenchEnv(base)) {
            int partitions = env.partitions();
            env.startKafka(Map.of(HUB_TOPIC, partitions, PEER_TOPIC, partitions, RAW_TOPIC, partitions));
            EmbeddedMqttBroker broker = env.startBroker(options.broker());
            String brokerName = broker.kind().name().toLowerCase();
            progress.say("Kafka %s, MQTT broker %s on %s, %d partitions per topic", env.bootstrapServers(), brokerName,
                    broker.serverUri(), partitions);
            LoadPublisher load = env.closeLater(new LoadPublisher(broker.serverUri(), options.publishers(), options.window(), "bench-load"));

            HubConfig hubConfig = env.hubConfig(writePipe(env.dir.resolve("connectors"), broker.serverUri()));
            progress.say("starting the hub (Pipe bench-ingest: mqtt5-source -> telemetry-normalize-action json -> factory-kafka-sink %s)", HUB_TOPIC);
            Part hub;
            HubRuntime runtime = new HubRuntime(hubConfig);
            try {
                runtime.start();
                requireRoute(runtime, "bench-ingest");
                // what costs per exchange besides our processors: listed so a profile can be read against it
                progress.say("hub: stream caching %s, event notifiers %s", runtime.context().isStreamCaching(),
                        runtime.context().getManagementStrategy().getEventNotifiers().stream()
                                .map(n -> n.getClass().getSimpleName()).toList());
                hub = part("hub", load, env, HUB_PREFIX, HUB_TOPIC);
            } finally {
                runtime.close();
            }

            progress.say("starting the peer (plain Camel Main, %s: paho-mqtt5 -> kafka, Camel's defaults)", IndustrialEdgePeer.ROUTE_FILE);
            Part peer;
            try (IndustrialEdgePeer route = new IndustrialEdgePeer(broker.serverUri(), PEER_PREFIX + "/+/+",
                    env.bootstrapServers(), PEER_TOPIC)) {
                progress.say("peer: %s", route.describe());
                peer = part("peer", load, env, PEER_PREFIX, PEER_TOPIC);
            }

            progress.say("starting the baseline (Paho -> KafkaProducer, no Camel)");
            Part raw;
            try (RawMqttKafkaBridge bridge = new RawMqttKafkaBridge(broker.serverUri(), "bench/raw/+/+", "bench-raw-bridge",
                    env.bootstrapServers(), RAW_TOPIC, base.getInt("factory.kafka.linger-ms"),
                    base.getInt("factory.kafka.batch-size"), base.get("factory.kafka.compression"))) {
                raw = part("baseline", load, env, "bench/raw", RAW_TOPIC);
            }
            long mosquittoRss = ProcessStats.childrenRssMb();
            return report(hub, peer, raw, brokerName, load.failedDeliveries(), mosquittoRss);
        }
    }

    private Part part(String name, LoadPublisher load, BenchEnv env, String prefix, String topic) throws Exception {
        KafkaBurst.warmUp(load, env.bootstrapServers(), prefix, topic, name, options.warmup(), progress);
        KafkaBurst.Result burst = KafkaBurst.run(load, env.bootstrapServers(), prefix, topic, name, THROUGHPUT_BASE,
                options.messages(), options.maxOutstanding(), progress);

        int count = options.rate() * options.rateSeconds();
        SequenceVerifier paced = new SequenceVerifier(LATENCY_BASE, count, true);
        double achieved;
        try (KafkaTail tail = new KafkaTail(env.bootstrapServers(), topic, name + "-latency", paced)) {
            achieved = load.atRate(prefix, LATENCY_BASE, options.rate(), options.rateSeconds());
            paced.await(Duration.ofSeconds(15), tail);
        }
        load.awaitAcknowledged();
        LatencyRecorder latency = paced.latency();
        long rssLatency = ProcessStats.rssMb();
        progress.say("%s: %d msg/s (achieved %.0f) for %d s: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d missing, RSS %d MB", name,
                options.rate(), achieved, options.rateSeconds(), latency.percentileMillis(50), latency.percentileMillis(99),
                latency.maxMillis(), paced.missing(), rssLatency);
        return new Part(burst.perSecond(), burst.distinct(), burst.missing(), burst.duplicates(), burst.seconds(),
                latency.percentileMillis(50), latency.percentileMillis(99), latency.maxMillis(), latency.count(), achieved,
                paced.missing(), burst.rssMb(), rssLatency);
    }

    private BenchReport report(Part hub, Part peer, Part raw, String broker, long failedPublishes, long brokerRss) {
        double ratio = hub.perSecond() / raw.perSecond();
        double peerRatio = peer.perSecond() / raw.perSecond();
        BenchReport r = new BenchReport("ingest", List.of("hub", "peer", "baseline"));
        r.put("hub_per_s", hub.perSecond()).put("baseline_per_s", raw.perSecond()).put("ratio", ratio)
                .put("p50_ms", hub.p50()).put("p99_ms", hub.p99()).put("rss_mb", Math.max(hub.rssLatency(), raw.rssLatency()))
                .put("broker", broker).put("messages", options.messages()).put("missing", hub.missing())
                .put("baseline_missing", raw.missing()).put("duplicates", hub.duplicates())
                .put("baseline_duplicates", raw.duplicates())
                .put("baseline_p50_ms", raw.p50()).put("baseline_p99_ms", raw.p99())
                .put("max_ms", hub.max()).put("baseline_max_ms", raw.max())
                .put("rate", options.rate()).put("rate_seconds", options.rateSeconds())
                .put("achieved_rate", hub.achievedRate()).put("baseline_achieved_rate", raw.achievedRate())
                .put("latency_missing", hub.latencyMissing()).put("baseline_latency_missing", raw.latencyMissing())
                .put("publishers", options.publishers()).put("max_outstanding", options.maxOutstanding()).put("rss_mb_hub", hub.rssLatency())
                .put("rss_mb_baseline", raw.rssLatency()).put("broker_rss_mb", brokerRss)
                .put("failed_publishes", failedPublishes)
                .put("peer_per_s", peer.perSecond()).put("peer_ratio", peerRatio).put("peer_missing", peer.missing())
                .put("peer_duplicates", peer.duplicates()).put("peer_p50_ms", peer.p50()).put("peer_p99_ms", peer.p99())
                .put("peer_max_ms", peer.max()).put("peer_achieved_rate", peer.achievedRate())
                .put("peer_latency_missing", peer.latencyMissing()).put("rss_mb_peer", peer.rssLatency());
        List<Part> parts = List.of(hub, peer, raw);
        r.row("broker", List.of(broker, broker, broker), "mosquitto (when installed)", null);
        String messages = Integer.toString(options.messages());
        r.row("messages (QoS 1, ~200 B)", List.of(messages, messages, messages), "", null);
        r.row("sustained msg/s", each(parts, p -> BenchReport.num(p.perSecond())), ">= 25,000", hub.perSecond() >= TARGET_PER_S);
        r.row("ratio to baseline", List.of(BenchReport.fixed(ratio, 2), BenchReport.fixed(peerRatio, 2), ""), "hub >= 0.85",
                ratio >= TARGET_RATIO);
        r.row("arrived / missing / dup", each(parts, p -> p.distinct() + " / " + p.missing() + " / " + p.duplicates()),
                "0 missing", parts.stream().allMatch(p -> p.missing() == 0));
        r.row("burst duration", each(parts, p -> BenchReport.fixed(p.seconds(), 2) + " s"), "", null);
        r.row("latency phase: achieved msg/s", each(parts, p -> BenchReport.num(p.achievedRate())),
                options.rate() + " for " + options.rateSeconds() + " s", null);
        r.row("latency p50", each(parts, p -> BenchReport.ms(p.p50())), "", null);
        r.row("latency p99", each(parts, p -> BenchReport.ms(p.p99())), "hub < 50 ms", hub.p99() < TARGET_P99_MS);
        r.row("latency max", each(parts, p -> BenchReport.ms(p.max())), "", null);
        r.row("latency phase missing", each(parts, p -> Integer.toString(p.latencyMissing())), "0",
                parts.stream().allMatch(p -> p.latencyMissing() == 0));
        r.row("JVM RSS after part", each(parts, p -> p.rssLatency() + " MB"), "", null);
        r.note("peer = " + IndustrialEdgePeer.ROUTE_FILE + " (the Industrial Edge pattern's MQTT -> Kafka route) in a plain"
                + " Camel Main with Camel's paho-mqtt5 and kafka components and their defaults: Paho acknowledges a message"
                + " once the route has handed it to the Kafka producer, the hub and the baseline only once Kafka has it");
        r.note("burst with at most " + (options.maxOutstanding() > 0 ? options.maxOutstanding() + " messages" : "unbounded")
                + " between publish and Kafka (--max-outstanding; 0 = open loop, the broker queues the difference)");
        r.note("sustained = N / (first publish .. last record polled from Kafka); latency = publish instant in the payload"
                + " -> record polled by a KafkaConsumer (same JVM, same clock)");
        r.note("one JVM holds Kafka, the load publishers (" + options.publishers() + " Paho clients), the Kafka consumer and"
                + " the path under test, one path at a time; the broker " + (broker.equals("mosquitto") ? "is a child process (RSS " + brokerRss + " MB)" : "runs in the JVM"));
        if (failedPublishes > 0) {
            r.note(failedPublishes + " publishes were not acknowledged by the broker");
        }
        return r;
    }

    private static List<String> each(List<Part> parts, Function<Part, String> cell) {
        return parts.stream().map(cell).toList();
    }

    static Path writePipe(Path connectors, String brokerUrl) throws Exception {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("brokerUrl", brokerUrl);
        source.put("topic", HUB_PREFIX + "/+/+");
        source.put("clientId", "factory-hub-bench-ingest");
        Map<String, String> normalize = new LinkedHashMap<>();
        normalize.put("format", "json");
        normalize.put("line", "bench");
        normalize.put("connector", "bench-ingest");
        return TelemetryPipe.write(connectors, "bench-ingest", "mqtt5-source", source, normalize, HUB_TOPIC);
    }

    static void requireRoute(HubRuntime runtime, String routeId) {
        for (Route route : runtime.context().getRoutes()) {
            if (route.getRouteId().equals(routeId)) {
                return;
            }
        }
        throw new IllegalStateException("the hub did not start route " + routeId + " (see the log above); routes: "
                + runtime.context().getRoutes().stream().map(Route::getRouteId).toList());
    }

}
