package io.factoryhub.plant.sim;

/** One sample of a tag's signal with what it really is. */
public record SignalSample(double value, FaultKind fault) {
}
