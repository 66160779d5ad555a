package io.factoryhub.hub.cdc;

import io.factoryhub.hub.FactoryTopics;
import io.factoryhub.hub.TopicReplication;
import io.factoryhub.hub.support.Backoff;
import io.factoryhub.hub.support.KafkaErrors;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.LeaderNotAvailableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each batch of change events to Kafka (topic = Debezium's destination, key = primary key JSON,
 * value = envelope JSON or null for a tombstone) and marks it processed only once Kafka acknowledged all of it,
 * so the engine commits offsets behind what is durable: a crash repeats at most the batch in flight.
 *
 * <p>Kafka unreachable for any length of time: the batch is sent again, whole, with a back-off (1 s doubling to
 * 30 s, cut short when Kafka answers a probe again) and a new producer each time (an idempotent producer whose
 * batches expired may stay unusable), until Kafka acknowledges it or CDC closes; meanwhile {@link #outage()} says why. The engine hands batches over one at a time,
 * so nothing later is written while one is retried. Records of a failed attempt may still have reached Kafka: they
 * are the duplicates, at most the batch once per attempt, and the first copy of each keeps commit order (each
 * producer writes in order per partition, each attempt starts again from the batch's first record, and the first
 * record into a topic is sent alone, see {@link #attempt}).
 *
 * <p>Never throws into the engine. A batch Kafka refuses for good (e.g. not authorized, record too large) is not
 * marked processed; {@code onFatal} is told, which stops CDC with the reason instead of skipping changes. Once a
 * batch was left unmarked (refused, or CDC closing), every later batch is left too: marking one would commit
 * offsets past the changes that are not in Kafka.
 */
final class KafkaChangeWriter implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaChangeWriter.class);
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final int PROBE_INTERVAL_MS = 1000;

    private final Supplier<Producer<String, String>> producers;
    private final Admin admin;
    private final TopicReplication replication;
    private final Consumer<Throwable> onFatal;
    private final Set<String> knownTopics = new HashSet<>();
    private final AtomicLong written = new AtomicLong();
    private final AtomicReference<KafkaOutage> outage = new AtomicReference<>();
    private final Backoff backoff = new Backoff(MAX_BACKOFF_MS);
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Producer<String, String> producer;
    private volatile boolean abandoned;

    /** What each attempt at a batch came to. */
    private enum Outcome { WRITTEN, CLOSING, REFUSED }

    /**
     * @param producers makes the producer, at start and again after a failed attempt
     */
    KafkaChangeWriter(Supplier<Producer<String, String>> producers, Admin admin, TopicReplication replication,
            Consumer<Throwable> onFatal) {
        this.producers = producers;
        this.admin = admin;
        this.replication = replication;
        this.onFatal = onFatal;
    }

    @Override
    public void handleBatch(List<ChangeEvent<String, String>> records, DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer) {
        if (abandoned) {
            return;
        }
        try {
            Outcome outcome = writeUntilAcknowledged(records);
            if (outcome == Outcome.WRITTEN) {
                for (ChangeEvent<String, String> record : records) {
                    committer.markProcessed(record);
                }
                committer.markBatchFinished();
                written.addAndGet(records.size());
                return;
            }
            if (outcome == Outcome.CLOSING) {
                LOG.info("CDC stopping with a batch of {} changes not yet acknowledged by Kafka: they are sent again on restart", records.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            onFatal.accept(e);
        }
        abandoned = true;
    }

    /** Sends the batch until Kafka acknowledged every record, CDC closes, or Kafka refuses it for good. */
    private Outcome writeUntilAcknowledged(List<ChangeEvent<String, String>> records) throws InterruptedException {
        while (closing.getCount() > 0) {
            Throwable error;
            try {
                if (!attempt(records)) {
                    return Outcome.CLOSING;
                }
                recovered();
                return Outcome.WRITTEN;
            } catch (ExecutionException e) {
                error = e.getCause();
            } catch (KafkaException e) {
                error = e;
            }
            if (closing.getCount() == 0) {
                break;
            }
            if (!KafkaErrors.retriable(error)) {
                onFatal.accept(error);
                return Outcome.REFUSED;
            }
            awaitRetry(error, records.size());
        }
        return Outcome.CLOSING;
    }

    /** One try at the whole batch; false when CDC closes before Kafka acknowledged it. */
    private boolean attempt(List<ChangeEvent<String, String>> records) throws InterruptedException, ExecutionException {
        Set<String> firstSends = new HashSet<>(ensureTopics(records));
        Producer<String, String> current = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ChangeEvent<String, String> record : records) {
            Future<RecordMetadata> ack = current.send(new ProducerRecord<>(record.destination(), record.key(), record.value()));
            if (ack.isDone()) {
                // failed at once (e.g. no metadata within max.block.ms): each further send would wait as long
                ack.get();
            }
            // the first record into a topic goes alone: seen in CI, a producer kept retrying its first request to a
            // new topic (NOT_LEADER_OR_FOLLOWER) while it delivered the next, so the first copies left commit order
            if (firstSends.remove(record.destination()) && !await(ack, System.nanoTime(), records.size())) {
                return false;
            }
            acks.add(ack);
        }
        long sentAt = System.nanoTime();
        for (Future<RecordMetadata> ack : acks) {
            if (!await(ack, sentAt, records.size())) {
                return false;
            }
        }
        return true;
    }

    /** After a failed attempt: a new producer for the next one, due after the back-off (or CDC closing). */
    private void awaitRetry(Throwable error, int batchSize) throws InterruptedException {
        discardProducer();
        backoff.failed(System.currentTimeMillis());
        KafkaOutage previous = outage.get();
        KafkaOutage now = new KafkaOutage(CdcEngine.rootMessage(error), backoff.failures(),
                previous == null ? Instant.now() : previous.since());
        outage.set(now);
        LOG.warn("Kafka unreachable: the batch of {} MES changes in flight is sent again in {} s at the latest, as soon as "
                + "Kafka answers (attempt {} failed: {})", batchSize, backoff.waitMs(System.currentTimeMillis()) / 1000,
                now.retries(), now.error());
        while (closing.getCount() > 0) {
            long waitMs = backoff.waitMs(System.currentTimeMillis());
            if (waitMs == 0 || closing.await(Math.min(waitMs, PROBE_INTERVAL_MS), TimeUnit.MILLISECONDS) || kafkaAnswers()) {
                return;
            }
        }
    }

    /**
     * Whether Kafka answers a metadata request within a second: then the batch is tried again at once rather than at
     * the end of a back-off of up to 30 s, so CDC goes on within seconds of the network coming back.
     */
    private boolean kafkaAnswers() throws InterruptedException {
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(PROBE_INTERVAL_MS)).clusterId().get();
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    private void recovered() {
        backoff.succeeded();
        KafkaOutage ended = outage.getAndSet(null);
        if (ended != null) {
            LOG.info("Kafka acknowledged the MES changes again after {} failed attempts, {} s: CDC goes on", ended.retries(),
                    Duration.between(ended.since(), Instant.now()).toSeconds());
        }
    }

    private Producer<String, String> producer() {
        if (producer == null) {
            producer = producers.get();
        }
        return producer;
    }

    /** Records it still holds are dropped: the batch is sent whole again. */
    private void discardProducer() {
        Producer<String, String> failed = producer;
        producer = null;
        if (failed != null) {
            failed.close(Duration.ZERO);
        }
    }

    /**
     * Waits for Kafka's acknowledgement; false when CDC is closing first (the producer retries until then). A wait
     * longer than {@link CdcEngine#STALL_REPORT_MS} is reported as an outage, once.
     */
    private boolean await(Future<RecordMetadata> ack, long sentAt, int batchSize) throws InterruptedException, ExecutionException {
        while (true) {
            try {
                ack.get(1, TimeUnit.SECONDS);
                return true;
            } catch (TimeoutException e) {
                if (closing.getCount() == 0) {
                    return false;
                }
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
                if (waited >= CdcEngine.STALL_REPORT_MS && outage.get() == null) {
                    String why = "no acknowledgement for " + waited / 1000 + " s";
                    outage.set(new KafkaOutage(why, 0, Instant.now()));
                    LOG.warn("Kafka unreachable: the batch of {} MES changes in flight waits in the producer, which keeps "
                            + "trying ({})", batchSize, why);
                }
                // a producer silent although Kafka answers (seen: stuck after NOT_LEADER on a new topic) is replaced
                if (waited >= 2L * CdcEngine.STALL_REPORT_MS && kafkaAnswers()) {
                    throw new org.apache.kafka.common.errors.TimeoutException("Kafka answers but the producer has not "
                            + "completed the batch for " + waited / 1000 + " s: sending it again with a new producer");
                }
            }
        }
    }

    /**
     * Topics are created with one partition on first sight: every change of a table, and the transaction
     * markers, stay in commit order for consumers such as the audit verb. Replicated as the hub's own topics
     * ({@link TopicReplication}). Existing topics are left as they are.
     * A topic counts as known once it exists with a leader, so a retry after Kafka was away checks again.
     *
     * @return the topics that became known: this writer has not yet sent to them
     */
    private List<String> ensureTopics(List<ChangeEvent<String, String>> records) throws InterruptedException, ExecutionException {
        List<String> unknown = records.stream().map(ChangeEvent::destination).distinct()
                .filter(topic -> !knownTopics.contains(topic)).toList();
        if (unknown.isEmpty()) {
            return unknown;
        }
        int brokers = TopicReplication.brokers(admin);
        List<NewTopic> missing = new ArrayList<>();
        for (String topic : unknown) {
            missing.add(replication.newTopic(topic, 1, brokers, Map.of()));
        }
        for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> created : admin.createTopics(missing).values().entrySet()) {
            try {
                created.getValue().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        try {
            // see FactoryTopics.awaitLeaders: sending into a topic without a leader yet once failed CDC under load
            FactoryTopics.awaitLeaders(admin, unknown);
        } catch (IllegalStateException e) {
            throw new LeaderNotAvailableException(e.getMessage());
        }
        knownTopics.addAll(unknown);
        return unknown;
    }

    long written() {
        return written.get();
    }

    /** Why the batch in flight is being retried, while it is. */
    Optional<KafkaOutage> outage() {
        return Optional.ofNullable(outage.get());
    }

    /** Stops retrying: the batch in flight is left for the next start. */
    void closing() {
        closing.countDown();
    }

    /** After the engine stopped. */
    void close(Duration timeout) {
        Producer<String, String> last = producer;
        producer = null;
        if (last != null) {
            last.close(timeout);
        }
    }
}
