package io.factoryhub.hub.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Machine events on event time: a state change's since; nothing else moves stream time. */
class MachineEventTimeTest {

    private static final long WALL_CLOCK = Instant.parse("2026-12-02T08:00:00Z").toEpochMilli();
    private static final long PARTITION_TIME = Instant.parse("2026-11-23T08:00:00Z").toEpochMilli();
    private final MachineEventTime time = new MachineEventTime();

    @Test
    void should_take_a_state_changes_since() throws IOException {
        assertEquals(Instant.parse("2026-11-23T08:05:00Z").toEpochMilli(), extract(
                "{\"type\":\"state-changed\",\"machineId\":\"p\",\"to\":\"STOPPED\",\"since\":\"2026-11-23T08:05:00Z\"}"));
    }

    @Test
    void should_keep_the_partitions_time_for_other_events_and_bad_ones() throws IOException {
        assertEquals(PARTITION_TIME, extract("{\"type\":\"connection-lost\",\"machineId\":\"p\",\"since\":\"2026-12-02T08:00:00Z\"}"));
        assertEquals(PARTITION_TIME, extract("{\"type\":\"state-changed\",\"machineId\":\"p\",\"since\":\"yesterday\"}"));
        assertEquals(0, time.extract(record(null), -1));
    }

    private long extract(String json) throws IOException {
        return time.extract(record(JsonSerde.MAPPER.readTree(json)), PARTITION_TIME);
    }

    private static ConsumerRecord<Object, Object> record(JsonNode value) {
        return new ConsumerRecord<>("factory.machine.events", 0, 0, WALL_CLOCK, TimestampType.CREATE_TIME,
                0, 0, "p", value, new RecordHeaders(), Optional.empty());
    }
}
