package io.factoryhub.bench;

import io.factoryhub.testkit.FreePorts;

import io.factoryhub.app.plant.EmbeddedPlant;
import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.HubConfig;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * {@code bench plant}: what {@code ./factory-hub run} costs. The default plant (defaults, but free ports and a
 * temp data dir) and the hub with the repository's connectors are started from a cold data dir; the clock runs
 * from before {@code EmbeddedPlant.start()} until the first telemetry record of each simulated line (line-1 JSON
 * over MQTT, line-2 CSV over MQTT, line-3 OPC-UA) is in factory.machine.telemetry. No baseline: the figure is
 * absolute. A record's time in Kafka is its CreateTime, set by the hub's producer when it sent the record.
 */
public final class PlantBench {

    static final double TARGET_SECONDS = 30;
    static final long TARGET_RSS_MB = 2560;
    private static final Set<String> LINES = Set.of("line-1", "line-2", "line-3");

    private final HubConfig base;
    private final BenchProgress progress;

    public PlantBench(HubConfig base, PrintWriter log) {
        this.base = base;
        this.progress = new BenchProgress(log, "plant");
    }

    public BenchReport run() throws Exception {
        try (BenchEnv env = new BenchEnv(base)) {
            int kafkaPort = FreePorts.next();
            int mqttPort = FreePorts.next();
            int opcuaPort = FreePorts.next();
            int externalPort = FreePorts.next();
            int postgresPort = FreePorts.next();
            int s3Port = FreePorts.next();
            HubConfig config = base
                    .with("factory.data-dir", env.dir.resolve("data").toString())
                    .with("factory.routes-dir", base.getPath("factory.routes-dir").toAbsolutePath().toString())
                    .with("factory.connectors-dir", base.getPath("factory.connectors-dir").toAbsolutePath().toString())
                    .with("factory.kamelets-dir", base.getPath("factory.kamelets-dir").toAbsolutePath().toString())
                    .with("factory.http.port", Integer.toString(FreePorts.next()))
                    .with("plant.kafka.port", Integer.toString(kafkaPort))
                    .with("plant.kafka.controller-port", Integer.toString(FreePorts.next()))
                    .with("plant.mqtt.port", Integer.toString(mqttPort))
                    .with("plant.external-kafka.port", Integer.toString(externalPort))
                    .with("plant.external-kafka.controller-port", Integer.toString(FreePorts.next()))
                    .with("external.bootstrap-servers", "localhost:" + externalPort)
                    .with("plant.opcua.port", Integer.toString(opcuaPort))
                    .with("plant.postgres.port", Integer.toString(postgresPort))
                    .with("mes.port", Integer.toString(postgresPort))
                    .with("plant.s3.port", Integer.toString(s3Port))
                    .with("s3.endpoint", "http://localhost:" + s3Port)
                    .with("factory.kafka.bootstrap-servers", "127.0.0.1:" + kafkaPort)
                    .with("factory.mqtt.broker-url", "tcp://127.0.0.1:" + mqttPort)
                    .with("factory.opcua.endpoint", "opc.tcp://localhost:" + opcuaPort);
            String broker = config.get("plant.mqtt.broker");
            long rssBefore = ProcessStats.rssMb();
            long startMillis = System.currentTimeMillis();
            long t0 = System.nanoTime();
            EmbeddedPlant plant = env.closeLater(new EmbeddedPlant(config));
            plant.start();
            double plantSeconds = (System.nanoTime() - t0) / 1e9;
            progress.say("plant up in %.1f s: %s", plantSeconds, plant.endpoints());
            HubRuntime hub = new HubRuntime(config);
            env.closeLater(hub);
            // the simulator must stop before the hub on close (it would publish into a stopped hub otherwise)
            env.closeLater(plant::stopSimulator);
            hub.start();
            double hubSeconds = (System.nanoTime() - t0) / 1e9;
            progress.say("hub up %.1f s after start, routes %s", hubSeconds,
                    hub.context().getRoutes().stream().map(r -> r.getRouteId()).toList());

            Map<String, Long> firstRecordMillis = new ConcurrentHashMap<>();
            KafkaTail.Handler handler = (String value, long micros, long nanos, ConsumerRecord<byte[], byte[]> record) -> {
                String line = Readings.stringField(value, "line");
                if (line != null && LINES.contains(line)) {
                    firstRecordMillis.merge(line, record.timestamp(), Math::min);
                }
            };
            int interval = config.getInt("plant.simulator.interval-ms");
            long timeoutSeconds = Math.max(60, 3L * interval / 1000 + 30);
            try (KafkaTail tail = KafkaTail.fromBeginning(config.get("factory.kafka.bootstrap-servers"),
                    config.get("factory.topic.telemetry"), "plant", handler)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
                while (firstRecordMillis.size() < LINES.size() && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
            }
            long rss = ProcessStats.rssMb();
            long childRss = ProcessStats.childrenRssMb();
            Map<String, Double> perLine = new TreeMap<>();
            firstRecordMillis.forEach((line, millis) -> perLine.put(line, (millis - startMillis) / 1000.0));
            double allSeconds = perLine.size() == LINES.size()
                    ? perLine.values().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN) : Double.NaN;
            progress.say("first record per line (s after start): %s, RSS %d MB", perLine, rss);
            return report(plantSeconds, hubSeconds, perLine, allSeconds, rss, rssBefore, childRss, broker, interval);
        }
    }

    private BenchReport report(double plantSeconds, double hubSeconds, Map<String, Double> perLine, double allSeconds,
                               long rss, long rssBefore, long childRss, String broker, int interval) {
        BenchReport r = new BenchReport("plant");
        r.put("up_s", allSeconds).put("rss_mb", rss).put("plant_up_s", plantSeconds).put("hub_up_s", hubSeconds);
        LINES.stream().sorted().forEach(line -> r.put(line.replace('-', '_') + "_first_record_s", perLine.getOrDefault(line, Double.NaN)));
        r.put("broker", broker).put("simulator_interval_ms", interval).put("rss_mb_before", rssBefore).put("child_rss_mb", childRss)
                .put("heap_used_mb", ProcessStats.heapUsedMb());
        r.row("plant parts started", BenchReport.fixed(plantSeconds, 1) + " s", "", "", null);
        r.row("hub started (routes loaded)", BenchReport.fixed(hubSeconds, 1) + " s", "", "", null);
        for (String line : LINES.stream().sorted().toList()) {
            Double s = perLine.get(line);
            r.row("first record " + line, s == null ? "none" : BenchReport.fixed(s, 1) + " s", "", "", null);
        }
        r.row("up (all 3 lines in Kafka)", Double.isFinite(allSeconds) ? BenchReport.fixed(allSeconds, 1) + " s" : "not reached",
                "", "< 30 s", Double.isFinite(allSeconds) && allSeconds < TARGET_SECONDS);
        r.row("JVM RSS", rss + " MB", "", "< 2,560 MB", rss > 0 && rss < TARGET_RSS_MB);
        r.note("defaults: broker " + broker + " (child processes RSS " + childRss + " MB), simulator interval " + interval
                + " ms, so a line's first reading can take up to one interval after the simulator starts");
        return r;
    }

}
