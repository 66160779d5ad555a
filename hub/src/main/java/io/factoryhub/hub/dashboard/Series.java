package io.factoryhub.hub.dashboard;

import java.util.Arrays;

/**
 * The newest points of one machine's tag, in time order: what its sparkline draws. Points are kept by source time,
 * so one that arrives late (a redelivery, a backlog drained after an outage) goes where it belongs, and the same
 * instant twice keeps one point.
 */
final class Series {

    /** What the page gets of a series: its points oldest first, and the unit and quality of the newest. */
    record View(String tag, String unit, String quality, long[] times, Double[] values) {
    }

    private final long[] times;
    /** NaN for a reading without a value: primitives keep a series at ~2 KB. */
    private final double[] values;
    private int size;
    private String unit;
    private String quality;

    Series(int capacity) {
        times = new long[capacity];
        values = new double[capacity];
    }

    void add(Telemetry reading) {
        int at = size;
        while (at > 0 && times[at - 1] > reading.time()) {
            at--;
        }
        if (at == size) {
            unit = reading.unit();
            quality = reading.quality();
        }
        if (at > 0 && times[at - 1] == reading.time()) {
            values[at - 1] = valueOf(reading);
            return;
        }
        if (size == times.length) {
            if (at == 0) {
                return; // older than every point kept
            }
            // the oldest point makes room just before the new one
            System.arraycopy(times, 1, times, 0, at - 1);
            System.arraycopy(values, 1, values, 0, at - 1);
            at--;
        } else {
            System.arraycopy(times, at, times, at + 1, size - at);
            System.arraycopy(values, at, values, at + 1, size - at);
            size++;
        }
        times[at] = reading.time();
        values[at] = valueOf(reading);
    }

    View view(String tag) {
        Double[] view = new Double[size];
        for (int i = 0; i < size; i++) {
            view[i] = Double.isNaN(values[i]) ? null : values[i];
        }
        return new View(tag, unit, quality, Arrays.copyOf(times, size), view);
    }

    private static double valueOf(Telemetry reading) {
        return reading.value() == null ? Double.NaN : reading.value();
    }
}
