package io.factoryhub.bench;

import java.time.Duration;
import java.util.concurrent.Semaphore;

/**
 * The throughput part of an MQTT stage: a warm-up, then a burst of N readings as fast as the publishers' windows
 * (and the bound on messages not yet readable) allow, measured until the last one is readable in Kafka, every
 * sequence number verified. Shared by {@code bench ingest} and {@code bench buffer} so both measure the same way.
 */
final class KafkaBurst {

    /** What one burst measured; {@code perSecond} = distinct / (first publish .. last new record polled). */
    record Result(double perSecond, int distinct, int missing, long duplicates, double seconds, long rssMb) {
    }

    private KafkaBurst() {
    }

    /** Same path, own sequence range from 0, result ignored except for a sanity line: JIT of broker, Kafka and path. */
    static void warmUp(LoadPublisher load, String bootstrapServers, String prefix, String topic, String name, int count,
                       BenchProgress progress) throws Exception {
        if (count <= 0) {
            return;
        }
        SequenceVerifier warm = new SequenceVerifier(0, count, false);
        try (KafkaTail tail = new KafkaTail(bootstrapServers, topic, name + "-warmup", warm)) {
            load.burst(prefix, 0, count);
            warm.await(Duration.ofSeconds(30), tail);
        }
        progress.say("%s: warm-up %d messages, %d arrived", name, count, warm.distinct());
    }

    /** @param maxOutstanding at most this many published but not yet readable in Kafka; 0 = open loop */
    static Result run(LoadPublisher load, String bootstrapServers, String prefix, String topic, String name, long from,
                      int count, int maxOutstanding, BenchProgress progress) throws Exception {
        SequenceVerifier burst = new SequenceVerifier(from, count, false);
        Semaphore outstanding = maxOutstanding > 0 ? new Semaphore(maxOutstanding) : null;
        burst.returnCreditsTo(outstanding);
        long start;
        try (KafkaTail tail = new KafkaTail(bootstrapServers, topic, name + "-throughput", burst)) {
            start = load.burst(prefix, from, count, outstanding);
            progress.say("%s: %d messages published in %.1f s, waiting for Kafka", name, count, (System.nanoTime() - start) / 1e9);
            burst.await(Duration.ofSeconds(30), tail);
        }
        double seconds = (burst.lastNewNanos() - start) / 1e9;
        double perSecond = burst.distinct() / seconds;
        load.awaitAcknowledged();
        long rss = ProcessStats.rssMb();
        progress.say("%s: %d of %d in Kafka in %.2f s = %.0f msg/s (%d missing, %d duplicates), RSS %d MB", name,
                burst.distinct(), count, seconds, perSecond, burst.missing(), burst.duplicates(), rss);
        return new Result(perSecond, burst.distinct(), burst.missing(), burst.duplicates(), seconds, rss);
    }
}
