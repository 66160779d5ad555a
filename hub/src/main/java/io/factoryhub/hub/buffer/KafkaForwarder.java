package io.factoryhub.hub.buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.factoryhub.hub.support.Backoff;
import io.factoryhub.hub.telemetry.TelemetryHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the log into Kafka on one thread, in log order: reads a batch from the head, sends it, and trims it from the
 * log only once Kafka acknowledged every record of it. So per key (machine) records reach Kafka in the order they were
 * accepted, and a crash or a failed send repeats at most one batch.
 *
 * <p>While Kafka is away the producer keeps the batch and retries it, in order, for as long as it takes: an outage of
 * any length loses nothing and reorders nothing. A batch that fails outright (no metadata within the send timeout,
 * not authorized) is sent again, whole, with a fresh producer, after a back-off of 1 s doubling to 10 s. A record Kafka refuses for good (too large for its topic, invalid
 * topic) goes to the dead-letter topic with the reason, and the batch goes on.
 */
final class KafkaForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaForwarder.class);
    private static final long MAX_BACKOFF_MS = 10_000;
    /** A dead letter's payload is cut to this when the dead-letter topic refuses it whole. */
    private static final int DEADLETTER_FALLBACK_BYTES = 512 * 1024;

    private final RecordLog log;
    private final RecentRecords recent;
    private final Map<String, Object> producerConfig;
    private final ForwarderSettings settings;
    private final Consumer<String> ensureTopic;
    private final ForwardingState state;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final Set<String> knownTopics = new HashSet<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile KafkaProducer<byte[], byte[]> producer;
    private final Backoff backoff = new Backoff(MAX_BACKOFF_MS);
    private final KafkaProbe kafka;
    private long cursor;

    /**
     * @param producerConfig bootstrap servers and tuning; serializers, acks, idempotence and timeouts are set here
     * @param ensureTopic    creates a topic the hub has not written to yet when it is missing (throws when it cannot)
     */
    KafkaForwarder(RecordLog log, RecentRecords recent, Map<String, Object> producerConfig, ForwarderSettings settings,
            Consumer<String> ensureTopic, ForwardingState state) {
        this.log = log;
        this.recent = recent;
        this.producerConfig = Map.copyOf(producerConfig);
        this.settings = settings;
        this.ensureTopic = ensureTopic;
        this.state = state;
        this.kafka = new KafkaProbe(String.valueOf(producerConfig.get(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)));
        this.thread = new Thread(this::run, "buffer-forwarder");
        thread.setDaemon(true);
        thread.start();
    }

    /** Wakes the forwarder: records were appended. */
    void wake() {
        lock.lock();
        try {
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        while (running) {
            try {
                List<RecentRecords.Sequenced> batch = nextBatch();
                if (batch.isEmpty()) {
                    state.head(0);
                    awaitAppend();
                    continue;
                }
                List<BufferedRecord> records = batch.stream().map(RecentRecords.Sequenced::record).filter(Objects::nonNull).toList();
                state.head(records.isEmpty() ? 0 : records.get(0).acceptedAt());
                if (forward(records)) {
                    long last = batch.get(batch.size() - 1).seq();
                    log.trimThrough(last);
                    recent.trimThrough(last);
                    cursor = last;
                    backoff.succeeded();
                    state.failingSince().ifPresent(since -> LOG.info("Kafka accepts records again (refused since {}); "
                            + "draining the store-and-forward buffer, {} record(s) in it", since, log.records()));
                    state.sent(batch.size());
                } else {
                    backOff();
                }
            } catch (IOException e) {
                LOG.error("Store-and-forward buffer: cannot read the log: {}", e.toString());
                backOff();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // never let the only thread that drains the buffer die
                LOG.error("Store-and-forward buffer: unexpected error while forwarding", e);
                backOff();
            }
        }
    }

    /**
     * True once Kafka holds every record of the batch (or its dead letter); false to try the whole batch again.
     *
     * <p>The producer never gives up a record for a passing reason (delivery timeout: for ever): it retries in order,
     * so when Kafka comes back the batch completes as it was sent. A producer that gave up on one record after a
     * timeout could still write the later ones, and a later reading would reach Kafka before an earlier one (seen:
     * "seq 2 after 458" when the delivery timeout was 3 s). Here a wait longer than {@code send-timeout-ms} only marks
     * Kafka as failing for /health. If {@code send()} itself fails (no metadata within the timeout), the rest of the
     * batch is not handed over, so nothing overtakes the record that failed; the batch is sent again whole.
     */
    private boolean forward(List<BufferedRecord> records) throws InterruptedException {
        try {
            ensureTopics(records);
            KafkaProducer<byte[], byte[]> current = producer();
            List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
            for (BufferedRecord record : records) {
                Future<RecordMetadata> ack = current.send(toProducerRecord(record));
                if (ack.isDone()) {
                    throwUnlessTheRecordsFault(ack); // failed at once (no metadata): hand over nothing after it
                }
                acks.add(ack);
            }
            List<Refused> refused = new ArrayList<>();
            long sentAt = System.nanoTime();
            for (int i = 0; i < acks.size(); i++) {
                try {
                    awaitAck(acks.get(i), sentAt, records.size());
                } catch (ExecutionException e) {
                    if (!isTheRecordsFault(e.getCause())) {
                        throw e;
                    }
                    refused.add(new Refused(records.get(i), e.getCause()));
                }
            }
            for (Refused one : refused) {
                deadLetter(current, one);
            }
            return true;
        } catch (ExecutionException e) {
            fail(e.getCause());
            return false;
        } catch (RuntimeException e) {
            fail(e);
            return false;
        }
    }

    private static void throwUnlessTheRecordsFault(Future<RecordMetadata> ack) throws ExecutionException, InterruptedException {
        try {
            ack.get();
        } catch (ExecutionException e) {
            if (!isTheRecordsFault(e.getCause())) {
                throw e;
            }
        }
    }

    /**
     * Waits as long as it takes while Kafka is away; past the send timeout, Kafka is reported failing (once) while the
     * producer retries. But a producer that stays silent although Kafka answers again (seen after a 180 s network cut:
     * the idempotent producer never completed its batch) is given up: the batch is sent again with a new one.
     */
    private void awaitAck(Future<RecordMetadata> ack, long sentAt, int batchSize) throws ExecutionException, InterruptedException {
        long answeredSince = 0;
        while (running) {
            try {
                ack.get(1, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException waiting) {
                long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sentAt);
                if (waited < settings.sendTimeoutMs()) {
                    continue;
                }
                if (state.failingSince().isEmpty()) {
                    String why = "no acknowledgement for " + waited / 1000 + " s of a batch of " + batchSize + " record(s)";
                    LOG.warn("Kafka does not acknowledge ({}): readings stay in the store-and-forward buffer, the producer keeps trying", why);
                    state.failed(why);
                }
                if (!kafka.answers()) {
                    answeredSince = 0;
                } else if (answeredSince == 0) {
                    answeredSince = System.nanoTime();
                } else if (TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - answeredSince) >= settings.sendTimeoutMs()) {
                    throw new org.apache.kafka.common.errors.TimeoutException("Kafka answers again but the producer has not "
                            + "completed its batch for " + settings.sendTimeoutMs() / 1000 + " s: sending it again with a new producer");
                }
            }
        }
        throw new InterruptedException("forwarder stopping");
    }

    /** The records after the cursor: from memory when they are still there, else read back from the log. */
    private List<RecentRecords.Sequenced> nextBatch() throws IOException {
        List<RecentRecords.Sequenced> batch = recent.after(cursor, settings.batchRecords(), settings.batchBytes());
        return batch.isEmpty() ? decode(log.readAfter(cursor, settings.batchRecords(), settings.batchBytes())) : batch;
    }

    private List<RecentRecords.Sequenced> decode(List<RecordLog.Entry> batch) {
        List<RecentRecords.Sequenced> records = new ArrayList<>(batch.size());
        for (RecordLog.Entry entry : batch) {
            try {
                records.add(new RecentRecords.Sequenced(entry.seq(), BufferedRecordCodec.decode(entry.bytes()), entry.bytes().length));
            } catch (IOException e) {
                LOG.error("Store-and-forward buffer: record {} is unreadable and skipped: {}", entry.seq(), e.getMessage());
                records.add(new RecentRecords.Sequenced(entry.seq(), null, entry.bytes().length)); // trimmed with its batch
            }
        }
        return records;
    }

    private record Refused(BufferedRecord record, Throwable reason) {
    }

    private static boolean isTheRecordsFault(Throwable error) {
        return error instanceof RecordTooLargeException || error instanceof InvalidTopicException
                || error instanceof SerializationException;
    }

    /**
     * The refused record, byte for byte, on the dead-letter topic with the reason; cut when that topic refuses it whole
     * (a dead-letter topic created elsewhere may have Kafka's 1 MB default limit).
     */
    private void deadLetter(KafkaProducer<byte[], byte[]> current, Refused refused) throws ExecutionException, InterruptedException {
        BufferedRecord original = refused.record();
        LOG.warn("Kafka refused a record for {} ({}): sent to {} instead", original.topic(), refused.reason().getMessage(),
                settings.deadletterTopic());
        ProducerRecord<byte[], byte[]> letter = deadLetterRecord(original, refused.reason(), original.value());
        try {
            current.send(letter).get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof RecordTooLargeException) || original.value() == null) {
                throw e;
            }
            byte[] cut = Arrays.copyOf(original.value(), Math.min(original.value().length, DEADLETTER_FALLBACK_BYTES));
            ProducerRecord<byte[], byte[]> shorter = deadLetterRecord(original, refused.reason(), cut);
            shorter.headers().add(TelemetryHeaders.PAYLOAD_TRUNCATED, bytes("true"));
            shorter.headers().add(TelemetryHeaders.PAYLOAD_BYTES, bytes(Integer.toString(original.value().length)));
            current.send(shorter).get();
        }
        state.addDeadLetter();
    }

    private ProducerRecord<byte[], byte[]> deadLetterRecord(BufferedRecord original, Throwable reason, byte[] value) {
        ProducerRecord<byte[], byte[]> letter = new ProducerRecord<>(settings.deadletterTopic(), null, original.acceptedAt(),
                original.key(), value);
        original.headers().forEach(h -> letter.headers().add(h.name(), h.value()));
        letter.headers().add(TelemetryHeaders.ERROR, bytes("Kafka refused the record for topic " + original.topic() + ": "
                + reason.getMessage()));
        letter.headers().add(TelemetryHeaders.ERROR_TYPE, bytes(reason.getClass().getName()));
        letter.headers().add(TelemetryHeaders.ORIGINAL_TOPIC, bytes(original.topic()));
        return letter;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ProducerRecord<byte[], byte[]> toProducerRecord(BufferedRecord record) {
        ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(record.topic(), null, record.acceptedAt(), record.key(),
                record.value());
        record.headers().forEach(h -> out.headers().add(new RecordHeader(h.name(), h.value())));
        return out;
    }

    private void ensureTopics(List<BufferedRecord> records) {
        for (BufferedRecord record : records) {
            if (!knownTopics.contains(record.topic())) {
                ensureTopic.accept(record.topic());
                knownTopics.add(record.topic());
            }
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** A producer that failed may be left unusable (an idempotent one after a delivery timeout): start afresh. */
    private void fail(Throwable error) {
        String message = error.getClass().getSimpleName() + ": " + error.getMessage();
        if (state.failingSince().isEmpty()) {
            LOG.warn("Kafka does not accept records ({}): they stay in the store-and-forward buffer and are sent again", message);
        } else {
            LOG.debug("Kafka still does not accept records: {}", message);
        }
        state.failed(message);
        closeProducer();
    }

    private void closeProducer() {
        KafkaProducer<byte[], byte[]> current = producer;
        producer = null;
        if (current != null) {
            current.close(Duration.ZERO);
        }
    }

    private void backOff() {
        long now = System.currentTimeMillis();
        backoff.failed(now);
        sleep(backoff.waitMs(now));
    }

    private void awaitAppend() throws InterruptedException {
        lock.lock();
        try {
            appended.await(200, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    private void sleep(long millis) {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (running && System.nanoTime() < deadline) {
                appended.awaitNanos(deadline - System.nanoTime()); // woken early only to stop
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** True once everything appended so far is in Kafka. */
    boolean drained() {
        return log.records() == 0;
    }

    /**
     * Gives the forwarder up to {@code drainTimeout} to send what the log holds (when Kafka takes it), then stops it;
     * what is left stays on disk and is sent on the next start.
     */
    void close(Duration drainTimeout) {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        while (!drained() && state.failingSince().isEmpty() && System.nanoTime() < deadline) {
            sleepQuietly();
        }
        running = false;
        closeProducer(); // aborts a send waiting for an unreachable Kafka
        kafka.close();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
