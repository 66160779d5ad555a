package io.factoryhub.hub.dashboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A sparkline's points: in source-time order whatever the arrival order, the newest ones, one per instant. */
class SeriesTest {

    @Test
    void should_put_a_late_reading_where_it_belongs() {
        Series series = series(3, 1000, 3000, 2000);
        assertArrayEquals(new long[] {1000, 2000, 3000}, series.view("vibration").times());
        assertArrayEquals(new Double[] {1.0, 3.0, 2.0}, series.view("vibration").values(), "values stay with their times");
    }

    @Test
    void should_keep_the_newest_points_and_drop_one_older_than_all_of_them() {
        Series series = series(3, 1000, 2000, 3000, 4000, 500, 2500);
        assertArrayEquals(new long[] {2500, 3000, 4000}, series.view("vibration").times());
    }

    @Test
    void should_keep_one_point_per_instant() {
        Series series = series(3, 1000, 1000);
        assertArrayEquals(new Double[] {2.0}, series.view("vibration").values(), "a redelivery replaces, the newest value wins");
    }

    @Test
    void should_show_a_reading_without_value_as_a_gap_with_the_newest_quality() {
        Series series = new Series(3);
        series.add(reading(1000, 4.2, "GOOD"));
        series.add(reading(2000, null, "BAD"));
        assertArrayEquals(new Double[] {4.2, null}, series.view("vibration").values());
        assertEquals("BAD", series.view("vibration").quality());
    }

    /** Readings at {@code times}, valued 1, 2, 3, ... in arrival order. */
    private static Series series(int capacity, long... times) {
        Series series = new Series(capacity);
        for (int i = 0; i < times.length; i++) {
            series.add(reading(times[i], i + 1.0, "GOOD"));
        }
        return series;
    }

    private static Telemetry reading(long time, Double value, String quality) {
        return new Telemetry("press-01", "plant-a", "line-1", "vibration", "mm/s", quality, time, value);
    }
}
