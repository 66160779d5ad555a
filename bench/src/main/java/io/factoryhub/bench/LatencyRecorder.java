package io.factoryhub.bench;

import java.util.Arrays;

/**
 * Latency samples in microseconds, kept exactly (a growable long array, sorted once at the end) rather than in a
 * histogram: a bench phase has at most a few hundred thousand samples, and exact percentiles need no tuning.
 * Thread-safe through synchronization; one consumer thread writes, the report thread reads after it stopped.
 */
final class LatencyRecorder {

    private long[] samples = new long[1 << 16];
    private int size;

    synchronized void record(long micros) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = micros;
    }

    synchronized int count() {
        return size;
    }

    /** Percentile (0..100) in milliseconds; NaN without samples. Nearest-rank on the sorted samples. */
    synchronized double percentileMillis(double percentile) {
        if (size == 0) {
            return Double.NaN;
        }
        Arrays.sort(samples, 0, size);
        int rank = (int) Math.ceil(percentile / 100.0 * size) - 1;
        return samples[Math.max(0, Math.min(size - 1, rank))] / 1000.0;
    }

    synchronized double maxMillis() {
        return size == 0 ? Double.NaN : Arrays.stream(samples, 0, size).max().getAsLong() / 1000.0;
    }
}
