package io.factoryhub.plant.sim;

import io.factoryhub.testkit.Waits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;

import static io.factoryhub.plant.sim.SimulatedMachine.Transport.MQTT_CSV;
import static io.factoryhub.plant.sim.SimulatedMachine.Transport.MQTT_JSON;
import static io.factoryhub.plant.sim.SimulatedMachine.Transport.OPCUA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineSimulatorTest {

    private static final Instant T = Instant.parse("2026-11-22T10:00:00.123Z");

    record Reading(String machineId, SimulatedMachine.Tag tag, double value, Instant time) {
    }

    static final class CollectingSink implements ReadingSink {
        final ConcurrentLinkedQueue<Reading> readings = new ConcurrentLinkedQueue<>();
        volatile boolean closed;

        @Override
        public void publish(SimulatedMachine m, SimulatedMachine.Tag tag, double value, Instant sourceTime) {
            readings.add(new Reading(m.machineId(), tag, value, sourceTime));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void everyTagOfEveryMachineGoesToItsTransportsSinkAroundTheBaseline() throws Exception {
        CollectingSink json = new CollectingSink();
        CollectingSink csv = new CollectingSink();
        CollectingSink opcua = new CollectingSink();
        List<SimulatedMachine> plant = SimulatedMachine.defaultPlant("plant-a", 2);
        try (MachineSimulator sim = new MachineSimulator(plant, Map.of(MQTT_JSON, json, MQTT_CSV, csv, OPCUA, opcua),
                20, 0.0, 5.0, Clock.fixed(T, ZoneOffset.UTC), new SplittableRandom(42))) {
            sim.start();
            awaitAtLeast(opcua, 40);
        }
        assertTrue(json.closed && csv.closed && opcua.closed, "close() closes the sinks");
        assertEquals(java.util.Set.of("press-01", "press-02"), machines(json));
        assertEquals(java.util.Set.of("mill-03", "mill-04"), machines(csv));
        assertEquals(java.util.Set.of("lathe-05", "lathe-06"), machines(opcua));
        for (Reading r : opcua.readings) {
            assertEquals(T, r.time());
            // no spikes configured: the walk stays near its baseline
            assertTrue(r.value() >= 0 && r.value() < 2 * r.tag().baseline, r.toString());
        }
        assertEquals(2, opcua.readings.stream().map(Reading::tag).distinct().count());
    }

    @Test
    void spikesAreInjected() throws Exception {
        CollectingSink sink = new CollectingSink();
        SimulatedMachine press = new SimulatedMachine("plant-a", "line-1", "press-01", MQTT_JSON);
        try (MachineSimulator sim = new MachineSimulator(List.of(press), Map.of(MQTT_JSON, sink),
                10, 1.0, 5.0, Clock.systemUTC(), new SplittableRandom(1))) {
            sim.start();
            awaitAtLeast(sink, 20);
        }
        for (Reading r : sink.readings) {
            assertTrue(r.value() > 3 * r.tag().baseline, "every reading is a 5x spike: " + r);
        }
    }

    @Test
    void aFailingSinkDoesNotStopTheOthers() throws Exception {
        CollectingSink good = new CollectingSink();
        ReadingSink broken = (m, tag, value, time) -> {
            throw new IllegalStateException("broker down");
        };
        try (MachineSimulator sim = new MachineSimulator(SimulatedMachine.defaultPlant("plant-a", 1),
                Map.of(MQTT_JSON, broken, MQTT_CSV, good), 10, 0.01, 5.0, Clock.systemUTC(), new SplittableRandom(7))) {
            sim.start();
            awaitAtLeast(good, 20);
            assertTrue(sim.failed() >= 20, "failures counted: " + sim.failed());
            assertTrue(sim.published() >= 20);
        }
        assertEquals(java.util.Set.of("mill-02"), machines(good));
    }

    @Test
    void payloadFormats() {
        SimulatedMachine press = new SimulatedMachine("plant-a", "line-1", "press-01", MQTT_JSON);
        SimulatedMachine mill = new SimulatedMachine("plant-a", "line-2", "mill-03", MQTT_CSV);
        assertEquals("{\"machineId\":\"press-01\",\"deviceId\":\"vib-1\",\"tag\":\"vibration\",\"value\":4.21,"
                        + "\"unit\":\"mm/s\",\"timestamp\":\"2026-11-22T10:00:00.123Z\"}",
                MqttJsonSink.payload(press, SimulatedMachine.Tag.VIBRATION, 4.2100001, T));
        assertEquals("mill-03,vib-1,4.21,1795341600123", MqttCsvSink.payload(mill, SimulatedMachine.Tag.VIBRATION, 4.21, T));
        assertEquals("2026-11-22T10:00:00.000Z", Readings.timestamp(Instant.parse("2026-11-22T10:00:00Z")));
        assertEquals("45", Readings.number(45.0));
        assertEquals("0.001", Readings.number(0.0012));
    }

    static java.util.Set<String> machines(CollectingSink sink) {
        return sink.readings.stream().map(Reading::machineId).collect(java.util.stream.Collectors.toSet());
    }

    static void awaitAtLeast(CollectingSink sink, int count) {
        Waits.atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertTrue(sink.readings.size() >= count, "only " + sink.readings.size() + " readings"));
    }
}
