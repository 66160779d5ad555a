package io.factoryhub.hub.lake;

/**
 * When to try S3 again after a failed upload: 1 s, doubling up to {@code maxMs}, reset by a success. One for the
 * whole writer, as S3 is one: while it fails, a single upload is tried per period, so a hanging S3 costs one SDK
 * timeout per period instead of one per partition (which could outlast the consumer's max.poll.interval).
 */
final class Backoff {

    private final long maxMs;
    private int failures;
    private long nextAttemptMs;

    Backoff(long maxMs) {
        this.maxMs = maxMs;
    }

    void failed(long nowMs) {
        failures++;
        nextAttemptMs = nowMs + Math.min(maxMs, 1000L << Math.min(failures - 1, 20));
    }

    void succeeded() {
        failures = 0;
    }

    boolean due(long nowMs) {
        return nowMs >= nextAttemptMs;
    }

    /** Consecutive failures so far. */
    int failures() {
        return failures;
    }
}
