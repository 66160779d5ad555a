package io.factoryhub.hub.streams.aggregates;

/**
 * Count, min, max, mean and the sum of squared deviations of one tag's values in a window, updated one value at a
 * time (Welford: stable where sum and sum of squares cancel for large values with a small spread).
 */
final class TagStats {

    long count;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double mean;
    double squaredDeviations;
    String unit;

    void add(double value, String valueUnit) {
        count++;
        double delta = value - mean;
        mean += delta / count;
        squaredDeviations += delta * (value - mean);
        min = Math.min(min, value);
        max = Math.max(max, value);
        if (valueUnit != null) {
            unit = valueUnit;
        }
    }

    /** Population standard deviation: the window's values are all the values there are, not a sample of them. */
    double stddev() {
        return count == 0 ? 0 : Math.sqrt(squaredDeviations / count);
    }
}
