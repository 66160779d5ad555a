package io.factoryhub.bench;

import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.buffer.BufferSettings;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.kafka.EmbeddedKafka;
import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@code bench buffer}: the hub's ingest path (the Pipe of {@code bench ingest}: mqtt5-source ->
 * telemetry-normalize-action -> factory-kafka-sink, which writes through the on-disk store-and-forward buffer) across
 * a Kafka outage, three phases on one hub:
 * <ol>
 *   <li>Kafka up: a burst as in {@code bench ingest}, msg/s until all readable in Kafka ({@code baseline_per_s});</li>
 *   <li>Kafka stopped (the hub keeps running): a backlog burst, msg/s until the buffer holds all of it, i.e. they are on
 *       disk and acknowledged to MQTT ({@code hub_per_s}); RSS before and after, the buffer's bytes on disk;</li>
 *   <li>Kafka started again on the same port and log dir while live readings arrive at a quarter of the baseline:
 *       backlog records readable per second from Kafka's return ({@code drain_per_s}), live publish -> readable
 *       latency, and every sequence number of phases 2 and 3 checked.</li>
 * </ol>
 * Both bursts bound the messages between publisher and the point measured (Kafka, resp. the buffer) by
 * {@code --max-outstanding}, so phase 2 measures the hub taking messages, not mosquitto queueing them.
 */
public final class BufferBench {

    /** Options of the stage. */
    public record Options(int messages, int backlog, int publishers, int window, int warmup, String broker, int maxOutstanding) {
    }

    private record Outage(double perSecond, double seconds, Memory before, Memory buffered, long liveHeapMb,
                          long bufferedRecords, long bufferedBytes, long diskBytes) {
        long rssGrowthMb() {
            return buffered.rssMb() - before.rssMb();
        }
    }

    /**
     * RSS and the heap the JVM has committed, as found: no GC forced before, it would shrink the heap and the growth
     * measured from there would be the heap growing back.
     */
    private record Memory(long rssMb, long heapCommittedMb) {
        static Memory now() {
            return new Memory(ProcessStats.rssMb(), ProcessStats.heapCommittedMb());
        }

        @Override
        public String toString() {
            return String.format("RSS %d MB (heap committed %d MB)", rssMb, heapCommittedMb);
        }
    }

    private record Drain(double perSecond, double seconds, double resumeSeconds, SequenceVerifier backlog, SequenceVerifier live, int liveRate,
                         double liveAchieved, long leftInBuffer, long rssMb, long liveHeapMb) {
    }

    static final double TARGET_RATIO = 0.8;
    static final double TARGET_DRAIN_SHARE = 0.5;
    static final long TARGET_RSS_GROWTH_MB = 100;
    static final int TARGET_RSS_BACKLOG = 1_000_000;

    private static final long BASELINE_BASE = 10_000_000L;
    private static final long BACKLOG_BASE = 30_000_000L;
    private static final long LIVE_BASE = 60_000_000L;
    /** Live readings stop at the latest after this long: a drain that never ends still ends the bench. */
    private static final int LIVE_MAX_SECONDS = 1800;
    /** No new record for this long = the rest is missing; covers the forwarder's back-off (up to 10 s) and a send timeout. */
    private static final Duration IDLE = Duration.ofSeconds(60);
    private static final String RECORDS_GAUGE = "factory.buffer.records";
    private static final String BYTES_GAUGE = "factory.buffer.bytes";

    private final HubConfig base;
    private final Options options;
    private final BenchProgress progress;

    public BufferBench(HubConfig base, Options options, PrintWriter log) {
        this.base = base;
        this.options = options;
        this.progress = new BenchProgress(log, "buffer");
    }

    public BenchReport run() throws Exception {
        try (BenchEnv env = new BenchEnv(base)) {
            EmbeddedKafka kafka = env.startKafka(Map.of(IngestBench.HUB_TOPIC, env.partitions()));
            EmbeddedMqttBroker broker = env.startBroker(options.broker());
            String brokerName = broker.kind().name().toLowerCase();
            progress.say("Kafka %s, MQTT broker %s on %s, %d partitions", env.bootstrapServers(), brokerName,
                    broker.serverUri(), env.partitions());
            LoadPublisher load = env.closeLater(new LoadPublisher(broker.serverUri(), options.publishers(), options.window(), "bench-load"));
            HubConfig hubConfig = env.hubConfig(IngestBench.writePipe(env.dir.resolve("connectors"), broker.serverUri()));
            Path bufferDir = BufferSettings.from(hubConfig).dir();
            progress.say("starting the hub (Pipe bench-ingest -> factory-kafka-sink %s through the buffer in %s, fsync %s)",
                    IngestBench.HUB_TOPIC, bufferDir, hubConfig.get("factory.buffer.fsync"));
            try (HubRuntime runtime = new HubRuntime(hubConfig)) {
                runtime.start();
                IngestBench.requireRoute(runtime, "bench-ingest");
                MeterRegistry meters = runtime.context().getRegistry().findSingleByType(MeterRegistry.class);
                Gauge records = meters.get(RECORDS_GAUGE).gauge();
                Gauge bytes = meters.get(BYTES_GAUGE).gauge();

                KafkaBurst.warmUp(load, env.bootstrapServers(), IngestBench.HUB_PREFIX, IngestBench.HUB_TOPIC, "kafka-up",
                        options.warmup(), progress);
                KafkaBurst.Result up = KafkaBurst.run(load, env.bootstrapServers(), IngestBench.HUB_PREFIX, IngestBench.HUB_TOPIC,
                        "kafka-up", BASELINE_BASE, options.messages(), options.maxOutstanding(), progress);

                SequenceVerifier backlog = new SequenceVerifier(BACKLOG_BASE, options.backlog(), false);
                int liveRate = (int) Math.max(1, Math.round(up.perSecond() / 4));
                SequenceVerifier live = new SequenceVerifier(LIVE_BASE, liveRate * LIVE_MAX_SECONDS, true);
                // opened while Kafka is up: its start offsets are the end of phase 1, and it reconnects by itself
                try (KafkaTail tail = new KafkaTail(env.bootstrapServers(), IngestBench.HUB_TOPIC, "buffer-drain", (v, micros, nanos, r) -> {
                    backlog.onRecord(v, micros, nanos, r);
                    live.onRecord(v, micros, nanos, r);
                })) {
                    Outage outage = outage(kafka, load, records, bytes, bufferDir);
                    Drain drain = drain(kafka, load, tail, records, backlog, live, liveRate);
                    return report(brokerName, hubConfig, up, outage, drain, load.failedDeliveries());
                }
            }
        }
    }

    /** Phase 2: Kafka stopped, the backlog published as fast as the hub takes it into the buffer. */
    private Outage outage(EmbeddedKafka kafka, LoadPublisher load, Gauge records, Gauge bytes, Path bufferDir) throws Exception {
        // phase 1's last batch trimmed first: the buffer then only grows while Kafka is away
        long left = awaitEmpty(records);
        progress.say("stopping Kafka (the hub keeps running); RSS %d MB, buffer %d records", ProcessStats.rssMb(), left);
        kafka.close();
        // after the stop: a stopped broker gives back memory (its index mmaps, buffers), which would hide growth
        Memory memoryBefore = Memory.now();
        long before = (long) records.value();
        progress.say("outage: Kafka stopped, %s; publishing %,d messages", memoryBefore, options.backlog());
        long target = before + options.backlog();
        Semaphore outstanding = options.maxOutstanding() > 0 ? new Semaphore(options.maxOutstanding()) : null;
        AtomicLong reachedAt = new AtomicLong();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(daemon("bench-buffer-watch"));
        AtomicLong highest = new AtomicLong(before);
        // each record the buffer gained returns a permit: at most --max-outstanding between publisher and buffer. Counted
        // from the gauge's highest value: it dips while a group is being written (neither queued nor in the log), and
        // counting the climb back again would hand out permits twice.
        watch.scheduleWithFixedDelay(() -> {
            long now = (long) records.value();
            long gained = now - highest.get();
            if (gained > 0) {
                highest.set(now);
                if (outstanding != null) {
                    outstanding.release((int) Math.min(Integer.MAX_VALUE, gained));
                }
            }
            if (now >= target && reachedAt.get() == 0) {
                reachedAt.set(System.nanoTime());
            }
        }, 2, 2, TimeUnit.MILLISECONDS);
        ScheduledExecutorService ticker = ticker(() -> String.format("outage: buffer %,d records, %,d MB", (long) records.value(),
                (long) bytes.value() >> 20));
        long start;
        try {
            start = load.burst(IngestBench.HUB_PREFIX, BACKLOG_BASE, options.backlog(), outstanding);
            progress.say("outage: %d messages published in %.1f s, waiting for the buffer to hold them", options.backlog(),
                    (System.nanoTime() - start) / 1e9);
            awaitBuffered(reachedAt, records, target);
        } finally {
            ticker.shutdownNow();
            watch.shutdownNow();
        }
        load.awaitAcknowledged();
        double seconds = (reachedAt.get() - start) / 1e9;
        double perSecond = options.backlog() / seconds;
        Memory memoryBuffered = Memory.now();
        long liveHeap = ProcessStats.liveHeapMb(); // after the RSS reading: the GC must not change it
        long buffered = highest.get();
        long diskBytes = diskBytes(bufferDir);
        progress.say("outage: %,d in the buffer in %.2f s = %.0f msg/s; buffer %,d records, %,d MB (on disk %,d MB); %s, %+d MB;"
                        + " live heap %d MB", options.backlog(), seconds, perSecond, buffered, (long) bytes.value() >> 20,
                diskBytes >> 20, memoryBuffered, memoryBuffered.rssMb() - memoryBefore.rssMb(), liveHeap);
        return new Outage(perSecond, seconds, memoryBefore, memoryBuffered, liveHeap, buffered, (long) bytes.value(), diskBytes);
    }

    private void awaitBuffered(AtomicLong reachedAt, Gauge records, long target) throws InterruptedException {
        long lastCount = -1;
        long lastProgressAt = System.nanoTime();
        while (reachedAt.get() == 0) {
            long now = (long) records.value();
            if (now != lastCount) {
                lastCount = now;
                lastProgressAt = System.nanoTime();
            } else if (System.nanoTime() - lastProgressAt > IDLE.toNanos()) {
                throw new IllegalStateException("the buffer stopped growing at " + now + " of " + target + " records for "
                        + IDLE.toSeconds() + " s (see the hub's log above)");
            }
            Thread.sleep(20);
        }
    }

    /** Phase 3: Kafka back, live readings at a quarter of the baseline until the backlog is readable in Kafka. */
    private Drain drain(EmbeddedKafka kafka, LoadPublisher load, KafkaTail tail, Gauge records, SequenceVerifier backlog,
                        SequenceVerifier live, int liveRate) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger published = new AtomicInteger();
        AtomicReference<Throwable> liveFailure = new AtomicReference<>();
        long liveStart = System.nanoTime();
        Thread publisher = new Thread(() -> {
            try {
                published.set(load.atRate(IngestBench.HUB_PREFIX, LIVE_BASE, liveRate, liveRate * LIVE_MAX_SECONDS, stop::get));
            } catch (Throwable t) {
                liveFailure.set(t);
            }
        }, "bench-live-publisher");
        publisher.setDaemon(true);
        progress.say("starting Kafka again on %s, live readings at %d msg/s", kafka.bootstrapServers(), liveRate);
        publisher.start();
        ScheduledExecutorService ticker = ticker(() -> String.format("drain: buffer %,d records; in Kafka: backlog %,d of %,d, live %,d",
                (long) records.value(), backlog.distinct(), options.backlog(), live.distinct()));
        long back;
        boolean complete;
        try {
            kafka.start();
            back = System.nanoTime();
            progress.say("Kafka is back after %.1f s of start-up", (back - liveStart) / 1e9);
            complete = backlog.await(IDLE, tail);
        } finally {
            stop.set(true);
            publisher.join(TimeUnit.SECONDS.toMillis(60));
            ticker.shutdownNow();
        }
        if (liveFailure.get() != null) {
            throw new IllegalStateException("live publishing failed: " + liveFailure.get(), liveFailure.get());
        }
        double liveSeconds = (System.nanoTime() - liveStart) / 1e9;
        double seconds = backlog.lastNewNanos() == 0 ? Double.NaN : (backlog.lastNewNanos() - back) / 1e9;
        double perSecond = backlog.distinct() / seconds;
        double resume = backlog.firstNewNanos() == 0 ? Double.NaN : (backlog.firstNewNanos() - back) / 1e9;
        progress.say("drain: backlog %s: %,d of %,d in Kafka %.2f s after it was back = %.0f msg/s (first after %.1f s, %d duplicates)",
                complete ? "complete" : "INCOMPLETE", backlog.distinct(), options.backlog(), seconds, perSecond, resume,
                backlog.duplicates());
        live.expectOnly(published.get());
        live.await(IDLE, tail);
        load.awaitAcknowledged();
        long left = awaitEmpty(records);
        long rss = ProcessStats.rssMb();
        long liveHeap = ProcessStats.liveHeapMb();
        progress.say("drain: live %,d published (%.0f msg/s), %,d in Kafka, %d duplicates; buffer now %d records, RSS %d MB,"
                + " live heap %d MB", published.get(), published.get() / liveSeconds, live.distinct(), live.duplicates(), left, rss,
                liveHeap);
        return new Drain(perSecond, seconds, resume, backlog, live, liveRate, published.get() / liveSeconds, left, rss, liveHeap);
    }

    /** Waits (bounded) for the buffer to report 0 records; returns what it holds when it stops waiting. */
    private static long awaitEmpty(Gauge records) throws InterruptedException {
        long deadline = System.nanoTime() + IDLE.toNanos();
        while ((long) records.value() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return (long) records.value();
    }

    private ScheduledExecutorService ticker(java.util.function.Supplier<String> line) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("bench-buffer-progress"));
        ticker.scheduleAtFixedRate(() -> progress.say("%s", line.get()), 5, 5, TimeUnit.SECONDS);
        return ticker;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Bytes of the buffer's files (the SQLite database, its WAL and shared memory). */
    private static long diskBytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private BenchReport report(String broker, HubConfig hubConfig, KafkaBurst.Result up, Outage outage, Drain drain,
                               long failedPublishes) {
        double ratio = outage.perSecond() / up.perSecond();
        long rssGrowth = outage.rssGrowthMb();
        Memory before = outage.before();
        Memory buffered = outage.buffered();
        SequenceVerifier backlog = drain.backlog();
        SequenceVerifier live = drain.live();
        LatencyRecorder latency = live.latency();
        int missing = up.missing() + backlog.missing() + live.missing();
        long duplicates = up.duplicates() + backlog.duplicates() + live.duplicates();
        double drainTarget = TARGET_DRAIN_SHARE * up.perSecond();
        BenchReport r = new BenchReport("buffer");
        r.put("hub_per_s", outage.perSecond()).put("baseline_per_s", up.perSecond()).put("ratio", ratio)
                .put("p50_ms", latency.percentileMillis(50)).put("p99_ms", latency.percentileMillis(99))
                .put("rss_mb", Math.max(Math.max(up.rssMb(), buffered.rssMb()), drain.rssMb()))
                .put("drain_per_s", drain.perSecond()).put("rss_growth_mb", rssGrowth)
                .put("buffered_records", outage.bufferedRecords()).put("missing", missing).put("duplicates", duplicates)
                .put("buffer_disk_mb", outage.diskBytes() / 1048576.0)
                .put("broker", broker).put("messages", options.messages()).put("backlog", options.backlog())
                .put("fsync", hubConfig.getBoolean("factory.buffer.fsync"))
                .put("baseline_missing", up.missing()).put("backlog_missing", backlog.missing()).put("live_missing", live.missing())
                .put("live_per_s", drain.liveAchieved()).put("live_published", live.distinct() + live.missing())
                .put("drain_seconds", drain.seconds()).put("drain_resume_s", drain.resumeSeconds())
                .put("buffer_bytes", outage.bufferedBytes())
                .put("rss_before_mb", before.rssMb()).put("rss_buffered_mb", buffered.rssMb())
                .put("heap_committed_growth_mb", buffered.heapCommittedMb() - before.heapCommittedMb())
                .put("outside_heap_growth_mb", rssGrowth - (buffered.heapCommittedMb() - before.heapCommittedMb()))
                .put("live_heap_buffered_mb", outage.liveHeapMb()).put("live_heap_empty_mb", drain.liveHeapMb())
                .put("left_in_buffer", drain.leftInBuffer()).put("failed_publishes", failedPublishes);
        r.row("broker", broker, broker, "mosquitto (when installed)", null);
        r.row("messages (QoS 1, ~200 B)", String.format("%,d backlog", options.backlog()), String.format("%,d burst", options.messages()), "", null);
        r.row("msg/s taken (buffer / Kafka)", BenchReport.num(outage.perSecond()), BenchReport.num(up.perSecond()), "", null);
        r.row("Kafka down / Kafka up", BenchReport.fixed(ratio, 2), "", ">= 0.8", ratio >= TARGET_RATIO);
        r.row("drain msg/s (backlog -> Kafka)", BenchReport.num(drain.perSecond()), "", ">= " + BenchReport.num(drainTarget)
                + " (0.5 x Kafka up)", drain.perSecond() >= drainTarget);
        r.row("drain duration", BenchReport.fixed(drain.seconds(), 1) + " s", "", "", null);
        r.row("drain: first backlog record after", BenchReport.fixed(drain.resumeSeconds(), 1) + " s", "", "", null);
        r.row("RSS growth while buffering", rssGrowth + " MB (" + before.rssMb() + " -> " + buffered.rssMb() + ")",
                "", "< 100 MB with " + String.format("%,d", TARGET_RSS_BACKLOG), rssGrowth < TARGET_RSS_GROWTH_MB);
        r.row("  of it heap committed", (buffered.heapCommittedMb() - before.heapCommittedMb()) + " MB (" + before.heapCommittedMb()
                + " -> " + buffered.heapCommittedMb() + ")", "", "", null);
        r.row("  outside the heap", (rssGrowth - (buffered.heapCommittedMb() - before.heapCommittedMb())) + " MB", "", "", null);
        r.row("live heap after a full GC", outage.liveHeapMb() + " MB with the backlog buffered, " + drain.liveHeapMb()
                + " MB drained", "", "", null);
        r.row("buffered records / bytes", String.format("%,d / %,d MB", outage.bufferedRecords(), outage.bufferedBytes() >> 20), "", "", null);
        r.row("buffer files on disk", BenchReport.fixed(outage.diskBytes() / 1048576.0, 1) + " MB", "", "", null);
        r.row("arrived / missing / dup", backlog.distinct() + " / " + backlog.missing() + " / " + backlog.duplicates()
                + " (backlog)", up.distinct() + " / " + up.missing() + " / " + up.duplicates(), "0 missing",
                backlog.missing() == 0 && up.missing() == 0);
        r.row("live arrived / missing / dup", live.distinct() + " / " + live.missing() + " / " + live.duplicates(), "", "0 missing",
                live.missing() == 0);
        r.row("live msg/s during drain", BenchReport.num(drain.liveAchieved()) + " (asked " + drain.liveRate() + ")", "", "", null);
        r.row("live latency p50", BenchReport.ms(latency.percentileMillis(50)), "", "", null);
        r.row("live latency p99", BenchReport.ms(latency.percentileMillis(99)), "", "", null);
        r.row("live latency max", BenchReport.ms(latency.maxMillis()), "", "", null);
        r.row("left in buffer at the end", Long.toString(drain.leftInBuffer()), "", "0", drain.leftInBuffer() == 0);
        r.note("hub column: Kafka stopped, msg/s until the hub's buffer (factory_buffer_records) holds the backlog, at most "
                + options.maxOutstanding() + " published but not yet buffered; baseline column: the same hub with Kafka up, msg/s until"
                + " readable in Kafka, at most " + options.maxOutstanding() + " published but not yet readable");
        r.note("drain = backlog records readable in Kafka / (Kafka serving again .. last backlog record polled); live readings"
                + " queue behind the backlog in the buffer (one log, in order), so their latency is about the drain's length");
        r.note("buffer fsync " + hubConfig.getBoolean("factory.buffer.fsync") + " (factory.buffer.fsync); one JVM holds Kafka"
                + " (stopped in phase 2), the publishers, the consumer and the hub, so its RSS counts all of them; RSS before ="
                + " after Kafka stopped, RSS buffered = with the backlog in the buffer, both as found (no GC forced)");
        if (options.backlog() < TARGET_RSS_BACKLOG) {
            r.note("backlog " + options.backlog() + " < " + TARGET_RSS_BACKLOG + ": the RSS target is meant for 1,000,000 buffered");
        }
        if (failedPublishes > 0) {
            r.note(failedPublishes + " publishes were not acknowledged by the broker");
        }
        return r;
    }
}
