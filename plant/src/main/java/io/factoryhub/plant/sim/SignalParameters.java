package io.factoryhub.plant.sim;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The simulated signal's parameters, from {@code ml/signal.json} (the build copies it next to this class), the one
 * file the simulator and the training data generator {@code ml/generate.py} both read. Every key is required and an
 * unknown key fails, so a typo cannot silently fall back to a default.
 *
 * @param walk      the random walk every tag follows
 * @param spike     one-sample spikes, on every tag
 * @param baselines tag name to the value the walk is pulled back to
 * @param vibration the vibration tag's alarm level and bearing wear
 */
public record SignalParameters(Walk walk, Spike spike, Map<String, Double> baselines, Vibration vibration) {

    private static final SignalParameters STANDARD = load();

    /**
     * @param pullBack fraction of the distance to the baseline recovered per step
     * @param step     step noise (gaussian standard deviation) as a fraction of the baseline
     */
    public record Walk(double pullBack, double step) {
    }

    /**
     * @param probability chance per sample
     * @param factor      spike value = the walk's value x this
     */
    public record Spike(double probability, double factor) {
    }

    /**
     * @param alarmLevel the static alarm threshold: spikes exceed it, wear stays below it
     * @param wear       the bearing wear episodes
     */
    public record Vibration(double alarmLevel, Wear wear) {
    }

    /**
     * Slow bearing wear; elevations are fractions of the baseline.
     *
     * @param startProbability chance per healthy sample that an episode starts
     * @param risePerSample    the walk's baseline rises by this per sample...
     * @param maxElevation     ...up to this, held for {@code holdSamples}, then maintenance resets it
     * @param holdSamples      samples at the maximum before maintenance
     * @param labelElevation   from this elevation on a sample counts as {@link FaultKind#WEAR}
     */
    public record Wear(double startProbability, double risePerSample, double maxElevation, int holdSamples,
                       double labelElevation) {
    }

    /** The parameters shipped with the plant. */
    public static SignalParameters standard() {
        return STANDARD;
    }

    public double baseline(String tagName) {
        Double baseline = baselines.get(tagName);
        if (baseline == null) {
            throw new IllegalArgumentException("signal.json has no baseline for tag '" + tagName + "'");
        }
        return baseline;
    }

    /** The same signal with other spikes (the simulator's overrides). */
    SignalParameters withSpike(Spike otherSpike) {
        return new SignalParameters(walk, otherSpike, baselines, vibration);
    }

    private static SignalParameters load() {
        ObjectMapper mapper = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES);
        try (InputStream in = SignalParameters.class.getResourceAsStream("signal.json")) {
            if (in == null) {
                throw new IllegalStateException("signal.json missing from the classpath (plant/pom.xml copies ml/signal.json)");
            }
            return mapper.readValue(in, SignalParameters.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read signal.json", e);
        }
    }
}
