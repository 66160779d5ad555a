package io.factoryhub.plant.sim;

import java.util.random.RandomGenerator;

/**
 * One tag's signal: a random walk pulled back towards the baseline (so it wanders but does not drift away), rare
 * one-sample spikes, and on vibration slow bearing wear that lifts the walk's baseline. {@code ml/generate.py} ports
 * this class to make the anomaly model's training data: change both alike.
 */
final class TagSignal {

    private final double baseline;
    private final SignalParameters.Walk walk;
    private final SignalParameters.Spike spike;
    private final BearingWear wear; // null: the tag does not wear
    private double value;

    private TagSignal(double baseline, SignalParameters.Walk walk, SignalParameters.Spike spike, BearingWear wear) {
        this.baseline = baseline;
        this.walk = walk;
        this.spike = spike;
        this.wear = wear;
        this.value = baseline;
    }

    static TagSignal of(SignalParameters parameters, SimulatedMachine.Tag tag) {
        BearingWear wear = tag == SimulatedMachine.Tag.VIBRATION ? new BearingWear(parameters.vibration().wear()) : null;
        return new TagSignal(parameters.baseline(tag.tagName), parameters.walk(), parameters.spike(), wear);
    }

    /** The next sample; a spike is reported once and does not move the walk. */
    SignalSample next(RandomGenerator random) {
        double target = baseline;
        if (wear != null) {
            if (wear.advance(random)) {
                value = baseline; // a new bearing runs at the baseline straight away
            }
            target = baseline * (1 + wear.elevation());
        }
        value += (target - value) * walk.pullBack() + baseline * walk.step() * random.nextGaussian();
        value = Math.max(0, value);
        if (random.nextDouble() < spike.probability()) {
            return new SignalSample(value * spike.factor(), FaultKind.SPIKE);
        }
        return new SignalSample(value, wear != null && wear.worn() ? FaultKind.WEAR : FaultKind.NORMAL);
    }
}
