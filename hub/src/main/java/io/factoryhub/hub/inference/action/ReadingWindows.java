package io.factoryhub.hub.inference.action;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The last {@code size} readings per machine, device and tag. Readings of one key come in order from one Kafka
 * partition or MQTT lane; the lock per key only guards against a rebalance handing the key to another thread.
 */
final class ReadingWindows {

    private final int size;
    private final ConcurrentHashMap<String, Ring> rings = new ConcurrentHashMap<>();

    ReadingWindows(int size) {
        this.size = size;
    }

    /** Adds the reading; the key's window once it holds {@code size} readings, else null. */
    Window add(String machineId, String deviceId, String tag, String site, String line, float value, String time,
               String readingId) {
        Ring ring = rings.computeIfAbsent(machineId + '\u0000' + deviceId + '\u0000' + tag, k -> new Ring(size));
        synchronized (ring) {
            ring.add(value, time);
            return ring.full() ? new Window(machineId, deviceId, tag, site, line, ring.values(), ring.times(), readingId) : null;
        }
    }

    private static final class Ring {
        private final float[] values;
        private final String[] times;
        private int next;
        private int count;

        Ring(int size) {
            values = new float[size];
            times = new String[size];
        }

        void add(float value, String time) {
            values[next] = value;
            times[next] = time;
            next = (next + 1) % values.length;
            count = Math.min(count + 1, values.length);
        }

        boolean full() {
            return count == values.length;
        }

        float[] values() {
            float[] ordered = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                ordered[i] = values[(next + i) % values.length];
            }
            return ordered;
        }

        String[] times() {
            String[] ordered = new String[times.length];
            for (int i = 0; i < times.length; i++) {
                ordered[i] = times[(next + i) % times.length];
            }
            return ordered;
        }
    }
}
