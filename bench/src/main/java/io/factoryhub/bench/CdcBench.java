package io.factoryhub.bench;

import io.factoryhub.testkit.FreePorts;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.hub.cdc.CdcEngine;
import io.factoryhub.hub.cdc.CdcSettings;
import io.factoryhub.hub.config.CredentialsFile;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.postgres.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code bench cdc}: MES change data capture into Kafka, next to a raw baseline in the same run (pgoutput read
 * with plain pgjdbc, insert messages written to Kafka as bytes, see {@link RawReplicationBaseline}).
 *
 * <ol>
 *   <li>Throughput: a backlog of {@code backlogRows} inserted rows ({@code rowsPerTransaction} per transaction) is
 *   drained by the hub's CDC engine, then by the baseline from its own slot: change events/s into Kafka, acknowledged.</li>
 *   <li>Latency: a steady load of {@code latencyTxPerSecond} single-row transactions for {@code latencySeconds}, first
 *   through the hub, then through the baseline: commit (the transaction's commit timestamp) -> consumed from Kafka,
 *   p50/p99, the first 2 s left out as warm-up.</li>
 * </ol>
 * PostgreSQL, Kafka, the load and both consumers share the machine, as they do in {@code run}.
 */
public final class CdcBench {

    static final double TARGET_EVENTS_PER_S = 15_000;
    static final double TARGET_P99_MS = 300;
    private static final String PASSWORD = "bench-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WARM_UP_MS = 2_000;

    /**
     * @param backlogRows         rows inserted while nothing streams, then drained (throughput)
     * @param rowsPerTransaction  rows per backlog transaction
     * @param latencyTxPerSecond  steady load of the latency phase
     * @param latencySeconds      length of the latency phase
     * @param writers             connections the steady load is spread over
     */
    public record Options(int backlogRows, int rowsPerTransaction, int latencyTxPerSecond, int latencySeconds, int writers) {
        public static Options defaults() {
            return new Options(200_000, 10, 5_000, 15, 4);
        }
    }

    private final HubConfig base;
    private final Options options;
    private final PrintWriter log;

    public CdcBench(HubConfig base, Options options, PrintWriter log) {
        this.base = base;
        this.options = options;
        this.log = log;
    }

    /** Entry point for {@code bench cdc}: runs with {@code options} and returns the report (print it with --json or not). */
    public static BenchReport run(HubConfig base, Options options, PrintWriter log) throws Exception {
        return new CdcBench(base, options, log).run();
    }

    /**
     * Standalone: {@code java -cp bench/target/factory-hub-bench.jar io.factoryhub.bench.CdcBench [--json]}, from the repo
     * folder (or with FACTORY_HOME set); options as system properties {@code -Dbench.cdc.backlog-rows=...} etc.
     */
    public static void main(String[] args) throws Exception {
        HubConfig base = HubConfig.load(null, System.getenv(), System.getProperties());
        String home = System.getenv().getOrDefault("FACTORY_HOME", ".");
        base = base.with("factory.home", Path.of(home).toAbsolutePath().normalize().toString());
        Options defaults = Options.defaults();
        Options options = new Options(Integer.getInteger("bench.cdc.backlog-rows", defaults.backlogRows()),
                Integer.getInteger("bench.cdc.rows-per-transaction", defaults.rowsPerTransaction()),
                Integer.getInteger("bench.cdc.tx-per-second", defaults.latencyTxPerSecond()),
                Integer.getInteger("bench.cdc.seconds", defaults.latencySeconds()),
                Integer.getInteger("bench.cdc.writers", defaults.writers()));
        PrintWriter out = new PrintWriter(System.out, true);
        run(base, options, out).print(out, List.of(args).contains("--json"));
    }

    public BenchReport run() throws Exception {
        try (BenchEnv env = new BenchEnv(base)) {
            env.startKafka(Map.of());
            Path cdc = base.getPath("factory.home").resolve("cdc");
            EmbeddedPostgres pg = env.closeLater(new EmbeddedPostgres(env.dir.resolve("postgres"), FreePorts.next(), "mes", "mes",
                    PASSWORD, CredentialsFile.randomSecret(24), "dbz_mes", List.of(cdc.resolve("mes-schema.sql"), cdc.resolve("mes-seed.sql"))));
            pg.start();
            HubConfig config = hubConfig(env, pg, cdc);

            // both slots exist before the backlog: the hub's through a first start (snapshot of the seed), the baseline's directly
            CdcEngine first = CdcEngine.start(config);
            awaitQuiet(first);
            first.close();
            RawReplicationBaseline raw = env.closeLater(new RawReplicationBaseline(pg.jdbcUrl(), pg.user(), PASSWORD, "bench_raw",
                    "dbz_mes", env.bootstrapServers(), "bench.raw"));
            raw.createSlot();

            log.printf("bench cdc: writing a backlog of %,d rows in transactions of %d...%n", options.backlogRows(), options.rowsPerTransaction());
            log.flush();
            writeBacklog(pg);

            CdcEngine hub = CdcEngine.start(config);
            double hubPerS = drainRate(hub::written, options.backlogRows() + 2L * options.backlogRows() / options.rowsPerTransaction(),
                    options.backlogRows());
            log.printf("bench cdc: hub drained the backlog at %,.0f change events/s%n", hubPerS);
            log.flush();

            LatencyRecorder hubLatency = new LatencyRecorder();
            long hubTx = steadyLoad(pg, env.bootstrapServers(), "bench.public.production_counts", hubLatency, CdcBench::sourceCommitMs);
            hub.close();
            log.printf("bench cdc: hub latency at %,d tx/s: p50 %.1f ms, p99 %.1f ms%n", options.latencyTxPerSecond(),
                    hubLatency.percentileMillis(50), hubLatency.percentileMillis(99));
            log.flush();

            raw.start();
            double rawPerS = drainRate(raw::inserts, options.backlogRows(), options.backlogRows());
            // the baseline's slot also kept the hub's latency phase: let it catch up before its own
            awaitAtLeast(raw::inserts, options.backlogRows() + hubTx, Duration.ofSeconds(120));
            LatencyRecorder rawLatency = new LatencyRecorder();
            long rawTx = steadyLoad(pg, env.bootstrapServers(), "bench.raw", rawLatency, ConsumerRecord::timestamp);
            if (raw.failure() != null) {
                throw new IllegalStateException("baseline failed: " + raw.failure(), raw.failure());
            }
            return report(hubPerS, rawPerS, hubLatency, rawLatency, hubTx, rawTx);
        }
    }

    private HubConfig hubConfig(BenchEnv env, EmbeddedPostgres pg, Path cdc) throws Exception {
        Properties debezium = CdcSettings.readProperties(cdc.resolve("debezium.properties"));
        debezium.setProperty("topic.prefix", "bench");
        debezium.setProperty("slot.name", "bench_hub");
        // tuning experiments without editing cdc/: -Dbench.cdc.debezium.max.batch.size=8192
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("bench.cdc.debezium."))
                .forEach(k -> debezium.setProperty(k.substring("bench.cdc.debezium.".length()), System.getProperty(k)));
        Path file = env.dir.resolve("debezium.properties");
        try (Writer writer = Files.newBufferedWriter(file)) {
            debezium.store(writer, "bench cdc: cdc/debezium.properties with its own topics and slot");
        }
        return base.with("factory.data-dir", env.dir.resolve("hub").toString())
                .with("factory.cdc.config", file.toString())
                .with("factory.kafka.bootstrap-servers", env.bootstrapServers())
                .with("mes.host", "localhost")
                .with("mes.port", Integer.toString(pg.port()))
                .with("mes.database", "mes")
                .with("mes.user", pg.user())
                .with("mes.password", PASSWORD);
    }

    private void writeBacklog(EmbeddedPostgres pg) throws Exception {
        long started = System.nanoTime();
        try (Connection c = pg.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (int row = 0; row < options.backlogRows(); row++) {
                    bind(insert, row);
                    insert.addBatch();
                    if ((row + 1) % options.rowsPerTransaction() == 0) {
                        insert.executeBatch();
                        c.commit();
                    }
                }
                insert.executeBatch();
                c.commit();
            }
        }
        log.printf("bench cdc: backlog written in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static final String INSERT = "INSERT INTO production_counts (work_order_id, equipment_id, good_count, scrap_count, "
            + "cycle_time_ms) VALUES (2, 'press-01', ?, 0, 2450)";

    private static void bind(PreparedStatement insert, int n) throws java.sql.SQLException {
        insert.setInt(1, 1 + n % 50);
    }

    /**
     * Events/s of a drain: {@code rows} data events over the time from the first acknowledged event until
     * {@code total} (data events plus transaction markers) were acknowledged.
     */
    private static double drainRate(java.util.function.LongSupplier acknowledged, long total, long rows) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (acknowledged.getAsLong() == 0) {
            check(deadline, "no change event reached Kafka");
            LockSupport.parkNanos(1_000_000);
        }
        long first = System.nanoTime();
        while (acknowledged.getAsLong() < total) {
            check(deadline, "only " + acknowledged.getAsLong() + " of " + total + " events reached Kafka");
            LockSupport.parkNanos(1_000_000);
        }
        return rows / ((System.nanoTime() - first) / 1e9);
    }

    private static void awaitAtLeast(java.util.function.LongSupplier counter, long n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.getAsLong() < n) {
            check(deadline, "only " + counter.getAsLong() + " of " + n);
            LockSupport.parkNanos(5_000_000);
        }
    }

    /** Waits until the engine streams and its snapshot has settled (no new events for a second). */
    private static void awaitQuiet(CdcEngine engine) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long last = -1;
        while (engine.state() != CdcEngine.State.RUNNING || engine.written() == 0 || engine.written() != last) {
            if (engine.state() == CdcEngine.State.FAILED) {
                throw new IllegalStateException(engine.failure().orElse("CDC failed"));
            }
            check(deadline, "CDC did not start");
            last = engine.written();
            LockSupport.parkNanos(1_000_000_000L);
        }
    }

    private static void check(long deadline, String message) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("bench cdc: " + message);
        }
    }

    /**
     * {@code latencyTxPerSecond} single-row transactions for {@code latencySeconds} over {@code writers} connections,
     * while a consumer of {@code topic} records commit -> consumed latency of every event after the warm-up.
     *
     * @return transactions committed
     */
    private long steadyLoad(EmbeddedPostgres pg, String bootstrapServers, String topic, LatencyRecorder latency,
                            ToLongFunction<ConsumerRecord<byte[], byte[]>> commitMs) throws Exception {
        AtomicBoolean consuming = new AtomicBoolean(true);
        long startMs = System.currentTimeMillis();
        long measureFrom = startMs + WARM_UP_MS;
        AtomicLong consumed = new AtomicLong();
        Thread consumer = new Thread(() -> consume(bootstrapServers, topic, consuming, measureFrom, latency, commitMs, consumed),
                "bench-cdc-consumer");
        consumer.start();
        Thread.sleep(1000); // assigned and at the end before the load starts
        AtomicLong committed = new AtomicLong();
        List<Thread> writers = new ArrayList<>();
        long periodNanos = Math.round(1e9 * options.writers() / options.latencyTxPerSecond());
        long endNanos = System.nanoTime() + Duration.ofSeconds(options.latencySeconds()).toNanos();
        for (int w = 0; w < options.writers(); w++) {
            Thread writer = new Thread(() -> {
                try (Connection c = pg.connect(); PreparedStatement insert = c.prepareStatement(INSERT)) {
                    long next = System.nanoTime();
                    int n = 0;
                    while (next < endNanos) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        bind(insert, n++);
                        insert.executeUpdate();
                        committed.incrementAndGet();
                        next += periodNanos;
                    }
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-cdc-writer-" + w);
            writer.start();
            writers.add(writer);
        }
        for (Thread writer : writers) {
            writer.join();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (consumed.get() < committed.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        consuming.set(false);
        consumer.join();
        log.printf("bench cdc: %s: %,d transactions at a target of %,d/s, %,d consumed%n", topic, committed.get(),
                options.latencyTxPerSecond(), consumed.get());
        log.flush();
        return committed.get();
    }

    private static void consume(String bootstrapServers, String topic, AtomicBoolean running, long measureFrom,
                                LatencyRecorder latency, ToLongFunction<ConsumerRecord<byte[], byte[]>> commitMs, AtomicLong consumed) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-cdc-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(50))) {
                    long now = System.currentTimeMillis();
                    long committedAt = commitMs.applyAsLong(record);
                    if (committedAt >= measureFrom - WARM_UP_MS) {
                        consumed.incrementAndGet();
                    }
                    if (committedAt >= measureFrom) {
                        latency.record((now - committedAt) * 1000);
                    }
                }
            }
        }
    }

    private static long sourceCommitMs(ConsumerRecord<byte[], byte[]> record) {
        try {
            return record.value() == null ? 0 : JSON.readTree(record.value()).path("source").path("ts_ms").asLong();
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private BenchReport report(double hubPerS, double rawPerS, LatencyRecorder hub, LatencyRecorder raw, long hubTx, long rawTx) {
        double hubP50 = hub.percentileMillis(50);
        double hubP99 = hub.percentileMillis(99);
        double achievedHub = hubTx / (double) options.latencySeconds();
        BenchReport report = new BenchReport("cdc")
                .put("hub_per_s", hubPerS)
                .put("baseline_per_s", rawPerS)
                .put("ratio", hubPerS / rawPerS)
                .put("p50_ms", hubP50)
                .put("p99_ms", hubP99)
                .put("rss_mb", ProcessStats.rssMb())
                .put("baseline_p50_ms", raw.percentileMillis(50))
                .put("baseline_p99_ms", raw.percentileMillis(99))
                .put("latency_tx_per_s", achievedHub)
                .put("backlog_rows", options.backlogRows());
        report.row("change events/s into Kafka (backlog drain)", BenchReport.num(hubPerS), BenchReport.num(rawPerS),
                ">= " + BenchReport.num(TARGET_EVENTS_PER_S), hubPerS >= TARGET_EVENTS_PER_S);
        report.row("commit -> Kafka p50 at " + BenchReport.num(achievedHub) + " tx/s", BenchReport.ms(hubP50),
                BenchReport.ms(raw.percentileMillis(50)), null, null);
        report.row("commit -> Kafka p99 at " + BenchReport.num(achievedHub) + " tx/s", BenchReport.ms(hubP99),
                BenchReport.ms(raw.percentileMillis(99)), "< " + BenchReport.ms(TARGET_P99_MS), hubP99 < TARGET_P99_MS);
        report.note("baseline: pgoutput read with plain pgjdbc, insert messages to Kafka as bytes (no Debezium, no JSON)");
        report.note("latency: the transaction's commit timestamp (ms) to the consumer receiving it; the first 2 s are warm-up; "
                + String.format("%,d / %,d transactions hub / baseline", hubTx, rawTx));
        return report;
    }
}
