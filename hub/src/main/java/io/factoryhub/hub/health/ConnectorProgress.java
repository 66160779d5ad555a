package io.factoryhub.hub.health;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether each running connector makes progress: messages waiting (in flight) and when one last completed. One per
 * hub, in the Camel registry; consumers register a {@link Tracker} while they run.
 */
public final class ConnectorProgress {

    private final Map<String, Tracker> trackers = new ConcurrentHashMap<>();

    public Tracker track(String connector) {
        Tracker tracker = new Tracker();
        trackers.put(connector, tracker);
        return tracker;
    }

    public void untrack(String connector) {
        trackers.remove(connector);
    }

    Map<String, Tracker> trackers() {
        return Map.copyOf(trackers);
    }

    /** One connector's counters; updated on its message path, so only atomics. */
    public static final class Tracker {
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicLong lastProgressAt = new AtomicLong(System.currentTimeMillis());
        private volatile String heldBecause;

        public void started() {
            waiting.incrementAndGet();
        }

        public void finished() {
            waiting.decrementAndGet();
            lastProgressAt.set(System.currentTimeMillis());
        }

        /** The connector holds its input (e.g. the buffer is full); null when it does not. */
        public void held(String reason) {
            heldBecause = reason;
        }

        int waiting() {
            return waiting.get();
        }

        long millisSinceProgress() {
            return System.currentTimeMillis() - lastProgressAt.get();
        }

        String heldBecause() {
            return heldBecause;
        }
    }
}
