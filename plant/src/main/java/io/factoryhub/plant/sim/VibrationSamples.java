package io.factoryhub.plant.sim;

import java.util.SplittableRandom;

/**
 * Labelled vibration samples of one simulated machine, from the simulator's own signal and parameters: the ground
 * truth an anomaly model is scored against. Seeded, so a test sees the same samples every run.
 */
public final class VibrationSamples {

    private final TagSignal signal = TagSignal.of(SignalParameters.standard(), SimulatedMachine.Tag.VIBRATION);
    private final SplittableRandom random;

    public VibrationSamples(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public SignalSample next() {
        return signal.next(random);
    }
}
