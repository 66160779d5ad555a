package io.factoryhub.hub.buffer;

/** Events per second over the last few whole seconds: one counter per second in a ring. */
final class WindowedRate {

    private final long[] counts;
    private final long[] seconds;

    WindowedRate(int windowSeconds) {
        counts = new long[windowSeconds + 1];
        seconds = new long[windowSeconds + 1];
    }

    synchronized void add(long events) {
        long now = System.currentTimeMillis() / 1000;
        int slot = (int) (now % counts.length);
        if (seconds[slot] != now) {
            seconds[slot] = now;
            counts[slot] = 0;
        }
        counts[slot] += events;
    }

    /** Over the window's complete seconds (the current one is still counting). */
    synchronized double perSecond() {
        long now = System.currentTimeMillis() / 1000;
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (seconds[i] < now && seconds[i] >= now - (counts.length - 1)) {
                sum += counts[i];
            }
        }
        return (double) sum / (counts.length - 1);
    }
}
