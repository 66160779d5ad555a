package io.factoryhub.plant.sim;

/** What a simulated sample really is: the ground truth an anomaly detector is scored against. */
public enum FaultKind {
    NORMAL,
    /** A one-sample spike, above the static alarm level. */
    SPIKE,
    /** Bearing wear: the baseline raised by at least the wear's label elevation, yet below the alarm level. */
    WEAR;

    public boolean anomalous() {
        return this != NORMAL;
    }
}
