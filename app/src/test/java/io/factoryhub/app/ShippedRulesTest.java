package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.factoryhub.app.support.HubUnderTest;
import io.factoryhub.app.support.SchemaFile;
import io.factoryhub.hub.rules.Condition;
import io.factoryhub.hub.rules.Rule;
import io.factoryhub.hub.rules.RuleFile;
import io.factoryhub.plant.sim.FaultKind;
import io.factoryhub.plant.sim.MachineSimulator;
import io.factoryhub.plant.sim.SignalSample;
import io.factoryhub.plant.sim.VibrationSamples;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rules the repo ships (rules/) are valid, and the vibration rules fire on the simulator's faults and never in
 * normal running, on the simulator's own signal (seeded) at its reading interval.
 */
class ShippedRulesTest {

    /** 500,000 readings: 29 days of one machine at one reading per 5 s, some 1,100 wear episodes. */
    private static final int READINGS = 500_000;
    private static final long INTERVAL_MS = MachineSimulator.DEFAULT_INTERVAL_MS;

    @Test
    void should_load_every_shipped_rule() throws Exception {
        Map<String, Rule> rules = shipped();
        assertEquals(Set.of("vibration-alarm", "bearing-wear", "press-overheating"), rules.keySet());
        assertEquals(Map.of("product_code", "BRK-220"), rules.get("press-overheating").context());
    }

    @Test
    void should_raise_the_vibration_alarm_on_every_spike_and_nothing_else() throws Exception {
        Held alarm = new Held(shipped().get("vibration-alarm"));
        VibrationSamples samples = new VibrationSamples(12);
        int spikes = 0;
        for (int i = 0; i < READINGS; i++) {
            SignalSample sample = samples.next();
            boolean spike = sample.fault() == FaultKind.SPIKE;
            spikes += spike ? 1 : 0;
            assertEquals(spike, alarm.holds(i * INTERVAL_MS, sample.value()), "reading " + i + ": " + sample);
        }
        assertTrue(spikes > 2_500, "spikes: " + spikes);
    }

    @Test
    void should_warn_of_every_bearing_wear_episode_and_never_in_normal_running() throws Exception {
        Held wear = new Held(shipped().get("bearing-wear"));
        VibrationSamples samples = new VibrationSamples(34);
        int episodes = 0;
        int warned = 0;
        long warningReadings = 0;
        boolean inEpisode = false; // since the first WEAR reading, until a NORMAL one (maintenance)
        boolean warnedThisEpisode = false;
        for (int i = 0; i < READINGS; i++) {
            SignalSample sample = samples.next();
            boolean holds = wear.holds(i * INTERVAL_MS, sample.value());
            inEpisode |= sample.fault() == FaultKind.WEAR;
            assertTrue(!holds || inEpisode, "warned outside a wear episode, reading " + i + ": " + sample);
            warnedThisEpisode |= holds;
            warningReadings += holds ? 1 : 0;
            if (sample.fault() == FaultKind.NORMAL && inEpisode) {
                episodes++;
                warned += warnedThisEpisode ? 1 : 0;
                inEpisode = false;
                warnedThisEpisode = false;
            }
        }
        assertTrue(episodes > 500, "wear episodes: " + episodes);
        assertEquals(episodes, warned, "episodes warned of");
        System.out.printf("bearing-wear: %d episodes, every one warned of, %.1f min of WARNING each on average%n",
                episodes, warningReadings * INTERVAL_MS / 60_000.0 / episodes);
    }

    private static Map<String, Rule> shipped() throws Exception {
        Map<String, Rule> rules = new TreeMap<>();
        for (var path : RuleFile.in(HubUnderTest.REPO.resolve("rules"))) {
            RuleFile file = RuleFile.read(path);
            assertEquals(Set.of(), SchemaFile.RULE.problems(file.document()), path.toString());
            rules.put(file.rule().name(), file.rule());
        }
        return rules;
    }

    /** A rule on one tag's readings: whether its conditions hold, each for its duration without a break. */
    private static final class Held {
        private final Rule rule;
        private final long[] since;

        Held(Rule rule) {
            this.rule = rule;
            this.since = new long[rule.conditions().size()];
            java.util.Arrays.fill(since, -1);
        }

        boolean holds(long timeMs, double value) {
            boolean all = true;
            boolean any = false;
            for (int c = 0; c < since.length; c++) {
                Condition condition = rule.conditions().get(c);
                since[c] = condition.test(value) ? (since[c] < 0 ? timeMs : since[c]) : -1;
                boolean held = since[c] >= 0 && Duration.ofMillis(timeMs - since[c]).compareTo(condition.holdFor()) >= 0;
                all &= held;
                any |= held;
            }
            return rule.match() == Rule.Match.ALL ? all : any;
        }
    }
}
