package io.factoryhub.hub.support;

/**
 * When to try something that is down again: {@code minMs} (1 s unless given) after the first failure, doubling up to
 * {@code maxMs}, reset by a success. Not thread-safe: one per retry loop.
 */
public final class Backoff {

    private final long minMs;
    private final long maxMs;
    private int failures;
    private long nextAttemptMs;

    public Backoff(long maxMs) {
        this(1000L, maxMs);
    }

    public Backoff(long minMs, long maxMs) {
        this.minMs = minMs;
        this.maxMs = maxMs;
    }

    /** Records a failure at {@code nowMs}; the next attempt is due one (doubled) period later. */
    public void failed(long nowMs) {
        failures++;
        nextAttemptMs = nowMs + Math.min(maxMs, minMs << Math.min(failures - 1, 20));
    }

    public void succeeded() {
        failures = 0;
    }

    public boolean due(long nowMs) {
        return nowMs >= nextAttemptMs;
    }

    /** Milliseconds from {@code nowMs} until the next attempt is due (0 when due). */
    public long waitMs(long nowMs) {
        return Math.max(0, nextAttemptMs - nowMs);
    }

    /** Consecutive failures so far. */
    public int failures() {
        return failures;
    }
}
