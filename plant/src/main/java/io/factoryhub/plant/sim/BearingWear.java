package io.factoryhub.plant.sim;

import java.util.random.RandomGenerator;

/**
 * Episodes of slow bearing wear: starting by chance, the baseline rises linearly to a maximum, holds there, and
 * maintenance (a new bearing) ends the episode.
 */
final class BearingWear {

    private final SignalParameters.Wear wear;
    private boolean wearing;
    private double elevation;
    private int heldSamples;

    BearingWear(SignalParameters.Wear wear) {
        this.wear = wear;
    }

    /** Moves one sample on; true when this sample is the maintenance that ends an episode. */
    boolean advance(RandomGenerator random) {
        if (!wearing) {
            wearing = random.nextDouble() < wear.startProbability();
            if (!wearing) {
                return false;
            }
        }
        if (elevation < wear.maxElevation()) {
            elevation = Math.min(wear.maxElevation(), elevation + wear.risePerSample());
        } else if (heldSamples < wear.holdSamples()) {
            heldSamples++;
        } else {
            wearing = false;
            elevation = 0;
            heldSamples = 0;
            return true;
        }
        return false;
    }

    /** The baseline's elevation as a fraction of it; 0 when healthy. */
    double elevation() {
        return elevation;
    }

    boolean worn() {
        return elevation >= wear.labelElevation();
    }
}
