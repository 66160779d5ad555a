package io.factoryhub.hub.buffer;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the forwarder has done, for health checks and metrics: Kafka's real state as the producer sees it, not a TCP
 * probe. Written by the forwarder thread only.
 */
public final class ForwardingState {

    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final WindowedRate drainRate = new WindowedRate(10);
    private volatile Instant failingSince;
    private volatile String lastError;
    private volatile long headAcceptedAt;

    void sent(int records) {
        forwarded.addAndGet(records);
        drainRate.add(records);
        failingSince = null;
        lastError = null;
    }

    void addDeadLetter() {
        deadLettered.incrementAndGet();
    }

    void failed(String error) {
        failures.incrementAndGet();
        if (failingSince == null) {
            failingSince = Instant.now();
        }
        lastError = error;
    }

    /** Accept time of the oldest record still in the buffer, 0 when it is empty. */
    void head(long acceptedAt) {
        headAcceptedAt = acceptedAt;
    }

    /** Since when Kafka has not accepted what the forwarder sends, if it does not. */
    public Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    public long forwarded() {
        return forwarded.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public long failures() {
        return failures.get();
    }

    /** Records forwarded per second, over the last ten seconds. */
    public double drainPerSecond() {
        return drainRate.perSecond();
    }

    /** Age of the oldest record still in the buffer, in seconds; 0 when it is empty. */
    public double oldestAgeSeconds() {
        long head = headAcceptedAt;
        return head == 0 ? 0 : Math.max(0, System.currentTimeMillis() - head) / 1000.0;
    }
}
