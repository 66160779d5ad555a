package io.factoryhub.hub.opcua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionGapEventsTest {

    private static final String ENDPOINT = "opc.tcp://localhost:4840";
    private static final List<String> NODES = List.of(
            "ns=2;s=plant-a/line-3/lathe-05/vibration",
            "ns=2;s=plant-a/line-3/lathe-05/temperature",
            "nsu=urn:factory-hub:plant-simulator;s=plant-a/line-3/lathe-06/vibration",
            "ns=2;i=1001");
    private static final Instant LOST = Instant.parse("2026-11-22T10:00:00.000Z");

    private final SettableClock clock = new SettableClock(LOST);
    private final List<String[]> sent = new ArrayList<>();
    private final ConnectionGapEvents gaps = new ConnectionGapEvents("line-3-opcua", ENDPOINT, NODES,
            (machine, json) -> sent.add(new String[] {machine, json}), clock);

    @Test
    void should_send_nothing_for_the_first_connect_or_while_values_flow() {
        gaps.valuesFlowing();
        gaps.valuesFlowing();
        assertEquals(0, sent.size());
    }

    @Test
    void should_send_nothing_when_a_session_that_never_delivered_goes_down() {
        gaps.sessionLost();
        gaps.valuesFlowing();
        assertEquals(0, sent.size());
    }

    @Test
    void should_send_lost_per_machine_when_the_session_goes_down_and_restored_with_the_gap() {
        gaps.valuesFlowing();
        gaps.sessionLost();
        clock.set(LOST.plusMillis(12_345));
        gaps.sessionLost(); // Milo may report the same loss twice: one gap
        assertEquals(List.of("lathe-05", "lathe-06", "line-3-opcua"), sent.stream().map(s -> s[0]).toList());

        JsonNode lathe05 = MachineEventSchema.valid(sent.get(0)[1]);
        assertEquals("connection-lost", lathe05.get("type").asText());
        assertEquals("lathe-05", lathe05.get("machineId").asText());
        assertEquals("line-3-opcua", lathe05.get("connector").asText());
        assertEquals(ENDPOINT, lathe05.get("endpoint").asText());
        assertEquals(List.of(NODES.get(0), NODES.get(1)), texts(lathe05.get("nodes")));
        assertEquals(LOST.toString(), lathe05.get("since").asText());
        // a node id outside <site>/<line>/<machine>/<tag> is reported under the connector
        assertEquals(List.of(NODES.get(3)), texts(MachineEventSchema.valid(sent.get(2)[1]).get("nodes")));

        sent.clear();
        gaps.valuesFlowing();
        gaps.valuesFlowing();
        assertEquals(3, sent.size());
        JsonNode restored = MachineEventSchema.valid(sent.get(1)[1]);
        assertEquals("connection-restored", restored.get("type").asText());
        assertEquals("lathe-06", restored.get("machineId").asText());
        assertEquals(List.of(NODES.get(2)), texts(restored.get("nodes")));
        assertEquals(LOST.toString(), restored.get("since").asText());
        assertEquals(LOST.plusMillis(12_345).toString(), restored.get("restored").asText());
        assertEquals(12.345, restored.get("gapSeconds").asDouble());
    }

    @Test
    void should_measure_each_outage_on_its_own() {
        gaps.valuesFlowing();
        gaps.sessionLost();
        clock.set(LOST.plusSeconds(5));
        gaps.valuesFlowing();
        clock.set(LOST.plusSeconds(60));
        gaps.sessionLost();
        clock.set(LOST.plusSeconds(62));
        gaps.valuesFlowing();
        JsonNode second = MachineEventSchema.valid(sent.get(sent.size() - 1)[1]);
        assertEquals(LOST.plusSeconds(60).toString(), second.get("since").asText());
        assertEquals(2.0, second.get("gapSeconds").asDouble());
    }

    @Test
    void should_refuse_events_the_schema_does_not_describe() throws IOException {
        assertFalse(MachineEventSchema.errors("{\"type\":\"connection-restored\",\"machineId\":\"m\",\"connector\":\"c\","
                + "\"endpoint\":\"opc.tcp://h:1\",\"nodes\":[\"n\"],\"since\":\"2026-11-22T10:00:00Z\"}").isEmpty(), "no gap");
        assertFalse(MachineEventSchema.errors("{\"type\":\"connection-lost\",\"machineId\":\"m\",\"connector\":\"c\","
                + "\"endpoint\":\"opc.tcp://h:1\",\"nodes\":[],\"since\":\"2026-11-22T10:00:00Z\"}").isEmpty(), "no nodes");
        assertFalse(MachineEventSchema.errors("{\"type\":\"machine-exploded\",\"machineId\":\"m\"}").isEmpty(), "unknown type");
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
