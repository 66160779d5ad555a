package io.factoryhub.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The readings the inference bench feeds: machine {@code <prefix>-<n>}'s vibration, 2.0 mm/s with a little wobble, and
 * every {@value #SPIKE_EVERY}th reading of a machine a spike of 11 mm/s — so the model flags a known share of the
 * windows and each flagged window names the reading that completed it.
 */
final class VibrationSeries {

    static final int SPIKE_EVERY = 20;

    private final String prefix;
    private final int machines;

    VibrationSeries(String prefix, int machines) {
        this.prefix = prefix;
        this.machines = machines;
    }

    int machines() {
        return machines;
    }

    String machine(long seq) {
        return prefix + "-" + (seq % machines);
    }

    /** The value of reading {@code seq} (readings go round the machines). */
    static float value(long seq, int machines) {
        long round = seq / machines;
        return round % SPIKE_EVERY == SPIKE_EVERY - 1 ? 11.0f : 2.0f + (float) ((seq * 7919 % 11) - 5) * 0.01f;
    }

    float value(long seq) {
        return value(seq, machines);
    }

    /** Reading {@code seq} as the normalizer writes a telemetry event (what the shipped flow reads from Kafka). */
    byte[] telemetryEvent(long seq, Instant time) {
        String now = time.toString();
        return ("{\"machineId\":\"" + machine(seq) + "\",\"deviceId\":\"vib-1\",\"tag\":\"vibration\",\"value\":" + value(seq)
                + ",\"unit\":\"mm/s\",\"quality\":\"GOOD\",\"sourceTime\":\"" + now + "\",\"ingestTime\":\"" + now
                + "\",\"site\":\"bench\",\"line\":\"bench-line\",\"source\":{\"protocol\":\"bench\",\"address\":\"bench\","
                + "\"connector\":\"bench\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** Reading {@code seq} as a sensor publishes it over MQTT (JSON, timestamp = the publish instant). */
    byte[] sensorPayload(long seq, Instant time) {
        return ("{\"machineId\":\"" + machine(seq) + "\",\"deviceId\":\"vib-1\",\"value\":" + value(seq) + ",\"timestamp\":\""
                + time + "\"}").getBytes(StandardCharsets.UTF_8);
    }
}
