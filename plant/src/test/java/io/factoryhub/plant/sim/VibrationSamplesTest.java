package io.factoryhub.plant.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The labelled vibration signal does what ml/signal.json promises: the faults the anomaly model learns. */
class VibrationSamplesTest {

    private static final SignalParameters SIGNAL = SignalParameters.standard();
    private static final SignalParameters.Wear WEAR = SIGNAL.vibration().wear();
    private static final int MACHINES = 20;
    private static final int SAMPLES_PER_MACHINE = 20_000;

    @Test
    void spikes_exceed_the_alarm_level_and_nothing_else_does() {
        double alarm = SIGNAL.vibration().alarmLevel();
        int spikes = 0;
        int worn = 0;
        for (List<SignalSample> machine : machines()) {
            for (SignalSample s : machine) {
                if (s.fault() == FaultKind.SPIKE) {
                    spikes++;
                    assertTrue(s.value() > alarm, "spike below the alarm level: " + s);
                } else {
                    worn += s.fault() == FaultKind.WEAR ? 1 : 0;
                    assertTrue(s.value() < alarm, "not a spike, yet above the alarm level: " + s);
                }
            }
        }
        assertTrue(spikes > 0 && worn > 0, spikes + " spikes, " + worn + " worn samples");
    }

    @Test
    void a_wear_episode_is_labelled_from_its_label_elevation_through_the_hold_until_maintenance() {
        int risingSamples = (int) Math.round(WEAR.maxElevation() / WEAR.risePerSample());
        int firstWorn = (int) Math.ceil(WEAR.labelElevation() / WEAR.risePerSample());
        int expected = risingSamples - firstWorn + 1 + WEAR.holdSamples();
        List<Integer> lengths = wornRunLengths();
        assertTrue(lengths.size() > 100, lengths.size() + " episodes");
        // a spike right before or after an episode joins its run
        assertTrue(lengths.stream().allMatch(n -> n >= expected && n <= expected + 2), expected + " expected, got " + lengths);
    }

    @Test
    void wear_episodes_start_as_often_as_the_start_probability_says() {
        int episodeSamples = (int) Math.round(WEAR.maxElevation() / WEAR.risePerSample()) + WEAR.holdSamples() + 1;
        double expected = (double) MACHINES * SAMPLES_PER_MACHINE / (1 / WEAR.startProbability() + episodeSamples);
        int episodes = wornRunLengths().size();
        assertEquals(expected, episodes, expected * 0.1, "episodes in " + MACHINES + " x " + SAMPLES_PER_MACHINE + " samples");
    }

    /** Lengths of the runs of anomalous samples that contain wear, except those the stream's end cuts off. */
    private static List<Integer> wornRunLengths() {
        List<Integer> lengths = new ArrayList<>();
        for (List<SignalSample> machine : machines()) {
            int run = 0;
            boolean worn = false;
            for (SignalSample s : machine) {
                if (s.fault().anomalous()) {
                    run++;
                    worn |= s.fault() == FaultKind.WEAR;
                } else {
                    if (worn) {
                        lengths.add(run);
                    }
                    run = 0;
                    worn = false;
                }
            }
        }
        return lengths;
    }

    private static List<List<SignalSample>> machines() {
        List<List<SignalSample>> machines = new ArrayList<>();
        for (int m = 0; m < MACHINES; m++) {
            VibrationSamples samples = new VibrationSamples(1000 + m);
            List<SignalSample> drawn = new ArrayList<>(SAMPLES_PER_MACHINE);
            for (int i = 0; i < SAMPLES_PER_MACHINE; i++) {
                drawn.add(samples.next());
            }
            machines.add(drawn);
        }
        return machines;
    }
}
