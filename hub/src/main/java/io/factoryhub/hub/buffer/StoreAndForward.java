package io.factoryhub.hub.buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's store-and-forward buffer between its connectors and the factory Kafka. Every record is first appended to a
 * log on local disk (group commit, fsynced before the sender is told when {@code fsync} is on) and only then
 * acknowledged to its sender; one forwarder drains the log into Kafka in order. So with Kafka up the log holds the few
 * milliseconds in flight, and with Kafka away it holds everything accepted since, up to {@code maxBytes}, across
 * restarts of the hub.
 *
 * <p>Full: a record that does not fit is refused ({@link BufferUnavailableException}) and its sender keeps it — an MQTT
 * source stops acknowledging, so the broker keeps the rest — never is an older record overwritten. Entering and leaving
 * that state raise a {@code buffer-full} / {@code buffer-recovered} event (which may exceed the limit by their few bytes).
 */
public final class StoreAndForward implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreAndForward.class);
    /** A full buffer takes records again once it is below this share of its limit, so it does not flap per record. */
    private static final double RESUME_BELOW = 0.95;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RecordLog log;
    private final BufferSettings settings;
    private final ForwardingState state = new ForwardingState();
    private final KafkaForwarder forwarder;
    private final JournalWriter writer;
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Submitted and not yet appended; counted here, not by the writer's queue, which a group leaves before it is written. */
    private final AtomicLong queuedRecords = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean full = new AtomicBoolean();
    private volatile Instant fullSince;

    /**
     * @param producerConfig bootstrap servers and tuning of the forwarder's producer
     * @param ensureTopic    creates a topic that does not exist yet (throws when Kafka cannot be reached)
     */
    public StoreAndForward(RecordLog log, BufferSettings settings, Map<String, Object> producerConfig, Consumer<String> ensureTopic) {
        this.log = log;
        this.settings = settings;
        // two batches: the one in flight and the next, so a forwarder that keeps up never reads the disk
        RecentRecords recent = new RecentRecords(2 * settings.batchRecords(), 2 * settings.batchBytes());
        this.forwarder = new KafkaForwarder(log, recent, settings.producerConfig(producerConfig),
                new ForwarderSettings(settings.batchRecords(), settings.batchBytes(), settings.sendTimeoutMs(), settings.deadletterTopic()), ensureTopic, state);
        this.writer = new JournalWriter(log, recent, forwarder::wake);
        if (log.records() > 0) {
            LOG.info("Store-and-forward buffer holds {} record(s) ({} bytes) from before: sending them first", log.records(), log.bytes());
        }
    }

    /** Opens the buffer's log in {@code settings.dir()} (what a previous run left is sent first) and starts forwarding. */
    public static StoreAndForward open(BufferSettings settings, Map<String, Object> producerConfig, Consumer<String> ensureTopic)
            throws IOException {
        return new StoreAndForward(SqliteRecordLog.open(settings.dir(), settings.fsync()), settings, producerConfig, ensureTopic);
    }

    /**
     * Takes a record: {@code done} is called with null once it is on disk, or with why not —
     * {@link BufferUnavailableException} (full, stopped, disk failure: offer it again later) or
     * {@link RecordRejectedException} (too large: never). Called on the buffer's thread; must not block.
     */
    public void submit(BufferedRecord record, Consumer<Throwable> done) {
        int size = record.sizeInBytes();
        if (size > settings.maxRecordBytes()) {
            done.accept(new RecordRejectedException("record of " + size + " bytes for " + record.topic()
                    + " exceeds the largest record Kafka is sent (" + settings.maxRecordBytes() + " bytes)"));
            return;
        }
        if (!hasRoomFor(size)) {
            refused.incrementAndGet();
            done.accept(new BufferUnavailableException("store-and-forward buffer full (" + bytes() + " of "
                    + settings.maxBytes() + " bytes, factory.buffer.max-bytes): not acknowledged, offer it again later"));
            return;
        }
        append(record, size, done);
    }

    private void append(BufferedRecord record, int size, Consumer<Throwable> done) {
        byte[] encoded = BufferedRecordCodec.encode(record);
        queuedBytes.addAndGet(encoded.length);
        queuedRecords.incrementAndGet();
        writer.submit(record, encoded, error -> {
            queuedBytes.addAndGet(-encoded.length);
            queuedRecords.decrementAndGet();
            done.accept(error);
        });
    }

    private boolean hasRoomFor(int size) {
        long used = bytes();
        if (full.get()) {
            if (used + size >= settings.maxBytes() * RESUME_BELOW) {
                return false;
            }
            if (full.compareAndSet(true, false)) {
                LOG.info("Store-and-forward buffer takes records again ({} of {} bytes used)", used, settings.maxBytes());
                event("buffer-recovered", used);
            }
            return true;
        }
        if (used + size <= settings.maxBytes()) {
            return true;
        }
        if (full.compareAndSet(false, true)) {
            fullSince = Instant.now();
            LOG.error("Store-and-forward buffer FULL ({} of {} bytes, factory.buffer.max-bytes): new records are refused "
                    + "and stay with their senders (MQTT messages unacknowledged in the broker) until Kafka drains it",
                    used, settings.maxBytes());
            event("buffer-full", used);
        }
        return false;
    }

    /** An alarm on the events topic, through the buffer itself, past its limit: it is what tells people it is full. */
    private void event(String type, long usedBytes) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("machineId", settings.hubName()); // the hub's own events are keyed by the hub
        event.put("hub", settings.hubName());
        event.put("bufferedBytes", usedBytes);
        event.put("bufferedRecords", log.records());
        event.put("maxBytes", settings.maxBytes());
        event.put("time", Instant.now().toString());
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a map of strings and numbers always serializes
        }
        BufferedRecord record = new BufferedRecord(settings.eventsTopic(), settings.hubName().getBytes(StandardCharsets.UTF_8),
                json, List.of(), System.currentTimeMillis());
        append(record, record.sizeInBytes(), error -> {
            if (error != null) {
                LOG.warn("{} event not stored: {}", type, error.getMessage());
            }
        });
    }

    /** Bytes held on disk and waiting to be written. */
    public long bytes() {
        return log.bytes() + queuedBytes.get();
    }

    public long records() {
        return log.records() + queuedRecords.get();
    }

    public long maxBytes() {
        return settings.maxBytes();
    }

    public boolean isFull() {
        return full.get();
    }

    /** Since when the buffer is full, if it is. */
    public Optional<Instant> fullSince() {
        return full.get() ? Optional.ofNullable(fullSince) : Optional.empty();
    }

    /** Records refused because the buffer was full. */
    public long refused() {
        return refused.get();
    }

    public ForwardingState forwarding() {
        return state;
    }

    /**
     * Writes what was submitted, gives the forwarder {@code factory.buffer.stop-drain-ms} to send what Kafka takes, then
     * closes the log; the rest is sent on the next start.
     */
    @Override
    public void close() {
        writer.close();
        forwarder.close(Duration.ofMillis(settings.stopDrainMillis()));
        if (log.records() > 0) {
            LOG.info("Store-and-forward buffer keeps {} record(s) on disk for the next start", log.records());
        }
        try {
            log.close();
        } catch (IOException e) {
            LOG.warn("Store-and-forward buffer log did not close cleanly: {}", e.toString());
        }
    }
}
