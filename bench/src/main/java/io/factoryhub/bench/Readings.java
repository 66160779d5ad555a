package io.factoryhub.bench;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The bench's MQTT payload and how to read it back from either topic.
 *
 * <p>A reading carries the two things the bench needs in fields the normalizer keeps: the sequence number as
 * {@code value} (a double holds integers exactly up to 2^53) and the publish instant, with microseconds, as
 * {@code timestamp} (it becomes the event's {@code sourceTime}). So the same scan works on the raw payload
 * (baseline topic) and on the telemetry event (hub topic). The wall clock is the one of this JVM on both ends.
 */
final class Readings {

    static final int MACHINES = 64;
    private static final int TARGET_BYTES = 200;

    private Readings() {
    }

    static String machineId(long seq) {
        return String.format("m-%04d", seq % MACHINES);
    }

    /** {@code <prefix>/<machine>/vibration}; the machine segment spreads records over partitions by key. */
    static String topic(String prefix, long seq) {
        return prefix + "/" + machineId(seq) + "/vibration";
    }

    /** About 200 bytes of JSON: the fields of the contract plus a pad the normalizer ignores. */
    static byte[] payload(long seq, Instant now) {
        StringBuilder json = new StringBuilder(TARGET_BYTES + 16)
                .append("{\"machineId\":\"").append(machineId(seq))
                .append("\",\"deviceId\":\"vib-1\",\"tag\":\"vibration\",\"value\":").append(seq)
                .append(",\"unit\":\"mm/s\",\"timestamp\":\"").append(now).append("\",\"pad\":\"");
        int pad = Math.max(0, TARGET_BYTES - json.length() - 2);
        for (int i = 0; i < pad; i++) {
            json.append('x');
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The sequence number from {@code "value":123} (raw payload) or {@code "value":1.0000123E7} (the hub's event:
     * Jackson writes doubles of 10^7 and more in E notation); -1 when absent.
     */
    static long seq(String json) {
        int at = json.indexOf("\"value\":");
        if (at < 0) {
            return -1;
        }
        int start = at + 8;
        int end = start;
        while (end < json.length() && "0123456789.-+eE".indexOf(json.charAt(end)) >= 0) {
            end++;
        }
        if (end == start) {
            return -1;
        }
        try {
            return (long) Double.parseDouble(json.substring(start, end));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Epoch microseconds of {@code sourceTime} (hub event) or {@code timestamp} (raw payload); -1 when absent. */
    static long sourceMicros(String json) {
        String text = stringField(json, "sourceTime");
        if (text == null) {
            text = stringField(json, "timestamp");
        }
        if (text == null) {
            return -1;
        }
        Instant instant = Instant.parse(text);
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    static String stringField(String json, String field) {
        String key = "\"" + field + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        int start = at + key.length();
        int end = json.indexOf('"', start);
        return end < 0 ? null : json.substring(start, end);
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
