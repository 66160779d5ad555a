package io.factoryhub.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules bench's plant: {@code machines} machines of 100 types ({@code m-<type>-<n>}), four tags each, and
 * {@code rules} rules of the shape plant engineers write, spread over the types (rule j for type j % 100): so each
 * machine has rules/100 of them, on all or any of its tags, some with a duration, in three groups of rising weight.
 * Readings come in rounds, one per machine and tag, one second of event time apart (1 Hz sensors); each tag swings
 * between a normal and a hot value every 20 rounds, shifted per machine, so states change all the time.
 */
final class BenchRuleSet {

    static final String[] TAGS = {"temperature", "vibration", "pressure", "current"};
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final int TYPES = 100;

    private final int machines;
    private final int rules;

    BenchRuleSet(int machines, int rules) {
        this.machines = machines;
        this.rules = rules;
    }

    int machines() {
        return machines;
    }

    String machine(int i) {
        return "m-%02d-%03d".formatted(i % TYPES, i / TYPES);
    }

    /** Rule name -> rule document (JSON), as the control topic carries them. */
    List<String[]> rules() {
        List<String[]> documents = new ArrayList<>();
        for (int j = 0; j < rules; j++) {
            int type = j % TYPES;
            int k = j / TYPES;
            String tag = TAGS[k % TAGS.length];
            String hot = "{\"tag\":\"" + tag + "\",\"op\":\">\",\"value\":" + (60 + 3 * (k % 10)) + (k % 3 == 0 ? ",\"for\":\"5s\"" : "") + "}";
            String when = k % 2 == 0 ? "{\"all\":[" + hot + "]}"
                    : "{\"any\":[" + hot + ",{\"tag\":\"" + TAGS[(k + 1) % TAGS.length] + "\",\"op\":\"<\",\"value\":5}]}";
            String name = "bench-%02d-%d".formatted(type, k);
            documents.add(new String[] {name, document(name, "m-%02d-.*".formatted(type), "g" + k % 3, k, k % 2 == 0 ? "WARNING" : "ALARM", when)});
        }
        return documents;
    }

    static String document(String name, String machines, String group, int weight, String state, String when) {
        return "{\"apiVersion\":\"factory-hub/v1\",\"kind\":\"Rule\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + "\"machines\":\"" + machines + "\",\"group\":\"" + group + "\",\"weight\":" + weight + ",\"state\":\"" + state
                + "\",\"when\":" + when + "}}";
    }

    /** Reading {@code seq} of the burst: round seq / (machines * 4), then machine, then tag. */
    String machineOf(long seq) {
        return machine((int) (seq / TAGS.length % machines));
    }

    byte[] reading(long seq) {
        int machine = (int) (seq / TAGS.length % machines);
        int tag = (int) (seq % TAGS.length);
        long round = seq / ((long) TAGS.length * machines);
        boolean hot = (round + machine * 7L + tag * 3L) / 20 % 2 == 1;
        return telemetry(machine(machine), TAGS[tag], hot ? 92.75 : 59.0, T0.plusSeconds(round));
    }

    static byte[] telemetry(String machineId, String tag, double value, Instant sourceTime) {
        return ("{\"machineId\":\"" + machineId + "\",\"deviceId\":\"d-" + tag + "\",\"tag\":\"" + tag + "\",\"value\":" + value
                + ",\"unit\":\"x\",\"quality\":\"GOOD\",\"sourceTime\":\"" + sourceTime + "\",\"site\":\"bench\",\"line\":\"line-"
                + machineId.substring(2, 4) + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
