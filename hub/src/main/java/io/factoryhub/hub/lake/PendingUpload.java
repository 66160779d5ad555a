package io.factoryhub.hub.lake;

/**
 * A finished object whose upload (or the commit after it) failed: kept, with its partition paused, and retried with
 * exponential back-off (1 s doubling up to {@code maxBackoffMs}). Memory stays bounded: one object per partition.
 */
final class PendingUpload {

    private final Roll roll;
    private final long maxBackoffMs;
    private int failures;
    private long nextAttemptMs;
    private String lastError;

    PendingUpload(Roll roll, long maxBackoffMs) {
        this.roll = roll;
        this.maxBackoffMs = maxBackoffMs;
    }

    void failed(long nowMs, String error) {
        failures++;
        lastError = error;
        nextAttemptMs = nowMs + Math.min(maxBackoffMs, 1000L << Math.min(failures - 1, 20));
    }

    boolean due(long nowMs) {
        return nowMs >= nextAttemptMs;
    }

    Roll roll() {
        return roll;
    }

    int failures() {
        return failures;
    }

    String lastError() {
        return lastError;
    }
}
