package io.factoryhub.bench;

import java.time.Duration;
import java.util.BitSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks that every message of a phase arrived in Kafka: sequence numbers {@code [from, from + count)} are ticked
 * off in a bit set (a QoS 1 redelivery is a duplicate, counted apart, never twice as "arrived"), the moment the
 * last new one was polled ends the throughput measurement, and the first arrival of each gives a latency sample.
 */
final class SequenceVerifier implements KafkaTail.Handler {

    private final long from;
    private volatile int count;
    private final BitSet seen;
    private final LatencyRecorder latency = new LatencyRecorder();
    private final boolean recordLatency;
    private volatile int distinct;
    private volatile long duplicates;
    private volatile long firstNewNanos;
    private volatile long lastNewNanos;
    private volatile java.util.concurrent.Semaphore credits;

    SequenceVerifier(long from, int count, boolean recordLatency) {
        this.from = from;
        this.count = count;
        this.seen = new BitSet(count);
        this.recordLatency = recordLatency;
    }

    @Override
    public void onRecord(String value, long polledMicros, long polledNanos, ConsumerRecord<byte[], byte[]> record) {
        long seq = Readings.seq(value);
        if (seq < from || seq >= from + count) {
            return; // a late message of an earlier phase
        }
        int index = (int) (seq - from);
        if (seen.get(index)) {
            duplicates++;
            return;
        }
        seen.set(index);
        distinct++;
        java.util.concurrent.Semaphore c = credits;
        if (c != null) {
            c.release();
        }
        if (firstNewNanos == 0) {
            firstNewNanos = polledNanos;
        }
        lastNewNanos = polledNanos;
        if (recordLatency) {
            long source = Readings.sourceMicros(value);
            if (source > 0) {
                latency.record(polledMicros - source);
            }
        }
    }

    /**
     * Waits until all arrived, or until nothing new arrived for {@code idle} (then some are missing).
     * Returns true when all arrived.
     */
    boolean await(Duration idle, KafkaTail tail) throws InterruptedException {
        long lastProgressAt = System.nanoTime();
        int lastDistinct = -1;
        while (distinct < count) {
            if (tail.failure() != null) {
                throw new IllegalStateException("Kafka consumer failed", tail.failure());
            }
            if (distinct != lastDistinct) {
                lastDistinct = distinct;
                lastProgressAt = System.nanoTime();
            } else if (System.nanoTime() - lastProgressAt > idle.toNanos()) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The phase published only the first {@code published} of its range (it ran until told to stop): expect those. */
    void expectOnly(int published) {
        if (published > count) {
            throw new IllegalArgumentException(published + " published, but the range holds " + count);
        }
        this.count = published;
    }

    /** Each first arrival returns one permit: the publishers' bound on messages published but not yet in Kafka. */
    void returnCreditsTo(java.util.concurrent.Semaphore semaphore) {
        this.credits = semaphore;
    }

    int distinct() {
        return distinct;
    }

    int missing() {
        return count - distinct;
    }

    long duplicates() {
        return duplicates;
    }

    /** When the first one of the range was polled; 0 while none was. */
    long firstNewNanos() {
        return firstNewNanos;
    }

    long lastNewNanos() {
        return lastNewNanos;
    }

    LatencyRecorder latency() {
        return latency;
    }
}
