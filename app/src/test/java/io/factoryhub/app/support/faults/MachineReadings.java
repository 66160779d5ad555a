package io.factoryhub.app.support.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Sequenced machine readings for MQTT fault tests: reading {@code i} of a load is {@code {"machineId":"<machine>",
 * "value":i}} on {@code plant-a/<line>/<machine>/vibration}, its machine {@code <prefix>-<i % machines + 1>}. So one
 * ledger counts a line, sequence numbers are unique in it and increase per machine (one Kafka key), and negative
 * values are free for probes that no ledger counts.
 */
public final class MachineReadings {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String line;
    private final String prefix;
    private final int machines;

    public MachineReadings(String line, String prefix, int machines) {
        this.line = line;
        this.prefix = prefix;
        this.machines = machines;
    }

    /** The topic filter a Pipe subscribes to for this line's readings. */
    public String topicFilter() {
        return "plant-a/" + line + "/+/vibration";
    }

    public String machine(long seq) {
        return prefix + "-" + (seq % machines + 1);
    }

    public String topic(String machine) {
        return "plant-a/" + line + "/" + machine + "/vibration";
    }

    public static byte[] payload(String machine, long value) {
        return ("{\"machineId\":\"" + machine + "\",\"value\":" + value + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Reading {@code i} of the load, booked in {@code ledger} once the broker has it. */
    public LongFunction<SequencedMqttLoad.Message> load(SequenceLedger ledger) {
        return i -> {
            String machine = machine(i);
            return new SequencedMqttLoad.Message(topic(machine), payload(machine, i), ledger, i);
        };
    }

    /** A telemetry event of this line's machines in the ledger: its machine and value; others and probes not counted. */
    public Optional<LedgerFeed.Entry> entry(ConsumerRecord<String, String> record) {
        if (record.key() == null || !record.key().startsWith(prefix + "-")) {
            return Optional.empty();
        }
        return sequence(record).map(seq -> new LedgerFeed.Entry(record.key(), seq));
    }

    /** The event's value as a sequence number; empty for a probe (negative) or a record that is no telemetry event. */
    public static Optional<Long> sequence(ConsumerRecord<String, String> record) {
        try {
            JsonNode value = JSON.readTree(record.value()).path("value");
            return value.isNumber() && value.asDouble() >= 0 ? Optional.of(value.asLong()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
