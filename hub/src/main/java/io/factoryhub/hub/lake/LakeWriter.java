package io.factoryhub.hub.lake;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.hub.support.Backoff;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka -> S3, exactly once per record by deterministic object names.
 *
 * <p>Why a KafkaConsumer of our own and not Camel's kafka consumer + aggregator: exactly-once needs per-partition
 * control that those do not give: an object's first offset must be the partition's committed offset (so a re-write
 * after a crash lands on the same key and replaces the object), offsets may be committed only after the PutObject
 * succeeded, and a partition whose upload fails must stop being read ({@code pause}) so memory stays bounded while
 * the rest carries on. The upload itself goes through Camel's aws2-s3 producer ({@link LakeBucket}).
 *
 * <p>The invariant: per partition, at most one stored-but-uncommitted object exists, and it starts at the committed
 * offset; the next object of a partition is uploaded only after the previous one's commit. A crash or rebalance
 * therefore re-reads from the committed offset, and the object rebuilt from there overwrites the uncommitted one
 * (whatever its new length, the next object starts right after it): nothing lost, nothing twice.
 *
 * <p>One thread polls, encodes, uploads and commits (KafkaConsumer is single-threaded anyway); gzip runs beside it
 * ({@link Compressor}).
 */
public final class LakeWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LakeWriter.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final LakeSettings settings;
    private final LakeBucket bucket;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Compressor compressor = new Compressor(16);
    private final Map<TopicPartition, Roll> open = new HashMap<>();
    /** Finished objects whose upload or commit failed, oldest first; their partitions are paused (bounded memory). */
    private final Map<TopicPartition, Roll> pending = new LinkedHashMap<>();
    /**
     * One for the whole writer, as S3 is one: while it fails, a single upload is tried per period, so a hanging S3
     * costs one SDK timeout per period instead of one per partition (which could outlast the consumer's
     * max.poll.interval).
     */
    private final Backoff backoff;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong objects = new AtomicLong();
    private final AtomicLong uploadFailures = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int pendingCount;
    private volatile String lastError;
    private volatile String failure;

    public LakeWriter(LakeSettings settings, LakeBucket bucket) {
        this.settings = settings;
        this.bucket = bucket;
        this.consumer = new KafkaConsumer<>(consumerProperties(settings), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::run, "factory-hub-lake-writer");
        this.backoff = new Backoff(settings.retryMaxMs());
    }

    /** The writer the hub's configuration describes, uploading through {@code context}'s aws2-s3 component, started. */
    public static LakeWriter start(HubConfig config, CamelContext context) throws Exception {
        LakeSettings settings = LakeSettings.from(config);
        LakeBucket bucket = LakeBucket.open(context, S3Settings.from(config), settings.bucket());
        LakeWriter writer;
        try {
            writer = new LakeWriter(settings, bucket);
        } catch (RuntimeException e) {
            bucket.close();
            throw e;
        }
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null) {
            writer.bindMetrics(registry);
        }
        return writer.start();
    }

    public LakeWriter start() {
        thread.start();
        LOG.info("Lake writer: topics matching '{}' -> bucket '{}', objects of up to {} records / {} bytes / {} ms",
                settings.topics(), bucket.name(), settings.rollRecords(), settings.rollBytes(), settings.rollIntervalMs());
        return this;
    }

    /** Prometheus: factory_lake_records_total, factory_lake_objects_total, factory_lake_upload_failures_total, factory_lake_pending_uploads. */
    void bindMetrics(MeterRegistry registry) {
        FunctionCounter.builder("factory.lake.records", records, AtomicLong::get).description("Records stored in the lake").register(registry);
        FunctionCounter.builder("factory.lake.objects", objects, AtomicLong::get).description("Objects stored in the lake").register(registry);
        FunctionCounter.builder("factory.lake.upload.failures", uploadFailures, AtomicLong::get)
                .description("Failed lake uploads (each retried)").register(registry);
        Gauge.builder("factory.lake.pending.uploads", this, w -> w.pendingCount)
                .description("Objects waiting for a retry; their partitions are paused").register(registry);
    }

    private static Properties consumerProperties(LakeSettings settings) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // aborted transactions never reach the lake
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 * 1024 * 1024));
        // topics created later (mes.* when CDC starts) are picked up within seconds, not the default 5 minutes
        p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        return p;
    }

    private void run() {
        try {
            consumer.subscribe(settings.topics(), new Rebalance());
            while (running) {
                consume(consumer.poll(POLL));
                long now = System.currentTimeMillis();
                for (Roll roll : List.copyOf(open.values())) {
                    if (roll.due(now, settings.rollIntervalMs())) {
                        store(roll);
                    }
                }
                retryPending(now);
            }
        } catch (WakeupException e) {
            // close(): fall through to the final flush
        } catch (RuntimeException | Error e) {
            failure = "lake writer stopped: " + e;
            LOG.error("Lake writer stopped; records stay in Kafka from the last committed offsets", e);
        } finally {
            flushOnStop();
        }
    }

    private void consume(ConsumerRecords<byte[], byte[]> batch) {
        long now = System.currentTimeMillis();
        for (TopicPartition partition : batch.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : batch.records(partition)) {
                Roll roll = open.get(partition);
                if (roll != null && !roll.accepts(record) && !store(roll)) {
                    break; // paused and rewound to this record: the rest of the batch comes again later
                }
                if (roll == null || !roll.accepts(record)) {
                    roll = new Roll(record, settings.gzipLevel(), compressor, now);
                    open.put(partition, roll);
                }
                roll.append(record);
                if (roll.full(settings.rollRecords(), settings.rollBytes()) && !store(roll)) {
                    break;
                }
            }
        }
    }

    /**
     * Upload, then commit; false when that failed or S3 is known to be failing (then the object is kept, its partition
     * paused and rewound to the next record, and retried by {@link #retryPending}).
     */
    private boolean store(Roll roll) {
        open.remove(roll.partition());
        if (pending.isEmpty()) {
            try {
                uploadAndCommit(roll);
                return true;
            } catch (Exception e) {
                failed(roll, e);
            }
        }
        park(roll);
        return false;
    }

    private void park(Roll roll) {
        TopicPartition partition = roll.partition();
        if (consumer.assignment().contains(partition)) {
            pending.put(partition, roll);
            pendingCount = pending.size();
            consumer.pause(List.of(partition));
            consumer.seek(partition, roll.nextOffset());
        }
    }

    private void uploadAndCommit(Roll roll) throws Exception {
        bucket.put(roll.key(), roll.object());
        consumer.commitSync(Map.of(roll.partition(), new OffsetAndMetadata(roll.nextOffset())));
        records.addAndGet(roll.records());
        objects.incrementAndGet();
        LOG.debug("Stored {} ({} records)", roll.key(), roll.records());
    }

    /** Oldest first, until one fails (then S3 still fails: wait for the next period). */
    private void retryPending(long now) {
        if (pending.isEmpty() || !backoff.due(now)) {
            return;
        }
        int failuresBefore = backoff.failures();
        for (Roll roll : List.copyOf(pending.values())) {
            try {
                uploadAndCommit(roll);
            } catch (Exception e) {
                failed(roll, e);
                return;
            }
            pending.remove(roll.partition());
            pendingCount = pending.size();
            consumer.resume(List.of(roll.partition()));
            backoff.succeeded();
        }
        LOG.info("Lake uploads succeed again after {} failed attempts; all partitions resumed", failuresBefore);
    }

    private void failed(Roll roll, Exception e) {
        uploadFailures.incrementAndGet();
        backoff.failed(System.currentTimeMillis());
        lastError = e.getMessage() == null ? e.toString() : e.getMessage();
        if (backoff.failures() == 1 || backoff.failures() % 10 == 0) {
            LOG.warn("Lake upload of {} failed ({} attempts in a row; partitions paused and retried): {}", roll.key(),
                    backoff.failures(), lastError);
        }
    }

    /** Graceful stop: what is buffered is stored and committed once; what fails stays in Kafka for the next start. */
    private void flushOnStop() {
        try {
            for (Roll roll : List.copyOf(open.values())) {
                store(roll);
            }
            for (Roll roll : List.copyOf(pending.values())) {
                try {
                    uploadAndCommit(roll);
                } catch (Exception e) {
                    LOG.warn("Lake: {} object(s) not stored on stop ({}); re-read from Kafka on the next start", pending.size(),
                            e.getMessage());
                    break; // S3 still fails: do not hold the stop up with one timeout per object
                }
                pending.remove(roll.partition());
            }
        } catch (RuntimeException e) {
            LOG.warn("Lake: final flush incomplete ({}); the rest is re-read from Kafka on the next start", e.toString());
        } finally {
            consumer.close(Duration.ofSeconds(5));
            compressor.close();
        }
    }

    /** Records stored so far (committed). */
    public long records() {
        return records.get();
    }

    public long objects() {
        return objects.get();
    }

    /** Objects waiting for a retry; their partitions are paused. */
    public int pendingUploads() {
        return pendingCount;
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Why the writer stopped, when it did on its own. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        bucket.close();
    }

    /** A partition taken away is dropped unstored: its new owner re-reads it from the committed offset. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // positions come from the committed offsets: an object always starts there
        }

        private void drop(Collection<TopicPartition> partitions) {
            Set<TopicPartition> gone = new HashSet<>(partitions);
            open.keySet().removeAll(gone);
            pending.keySet().removeAll(gone);
            pendingCount = pending.size();
        }
    }
}
