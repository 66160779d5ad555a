package io.factoryhub.plant.sim;

import java.util.random.RandomGenerator;

/**
 * One tag's signal: a random walk pulled back towards the baseline (so it wanders but does not
 * drift away), plus rare one-sample spikes that anomaly rules downstream should catch.
 */
final class TagSignal {

    /** Fraction of the distance to the baseline recovered per step. */
    private static final double PULL_BACK = 0.1;
    /** Step noise, as a fraction of the baseline. */
    private static final double STEP = 0.02;

    private final double baseline;
    private final double spikeProbability;
    private final double spikeFactor;
    private double value;

    TagSignal(double baseline, double spikeProbability, double spikeFactor) {
        this.baseline = baseline;
        this.spikeProbability = spikeProbability;
        this.spikeFactor = spikeFactor;
        this.value = baseline;
    }

    /** The next sample; a spike is reported once and does not move the walk. */
    double next(RandomGenerator random) {
        value += (baseline - value) * PULL_BACK + baseline * STEP * random.nextGaussian();
        value = Math.max(0, value);
        return random.nextDouble() < spikeProbability ? value * spikeFactor : value;
    }
}
