package io.factoryhub.plant.sim;

import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import io.factoryhub.testkit.FreePorts;
import io.factoryhub.testkit.Waits;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.factoryhub.plant.sim.SimulatedMachine.Transport.MQTT_CSV;
import static io.factoryhub.plant.sim.SimulatedMachine.Transport.MQTT_JSON;
import static io.factoryhub.plant.sim.SimulatedMachine.Transport.OPCUA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Simulator to the embedded HiveMQ to a Paho subscriber: topics and payloads have the agreed shape. */
class MqttSimulationTest {

    private static final Pattern JSON = Pattern.compile(
            "\\{\"machineId\":\"(press-0[12])\",\"deviceId\":\"(vib-1|temp-1)\",\"tag\":\"(vibration|temperature)\","
                    + "\"value\":(\\d+(\\.\\d{1,3})?),\"unit\":\"(mm/s|degC)\","
                    + "\"timestamp\":\"(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z)\"}");
    private static final Pattern CSV = Pattern.compile("(mill-0[34]),(vib-1|temp-1),(\\d+(\\.\\d{1,3})?),(\\d{13})");

    @TempDir
    Path dir;

    record Received(String topic, String payload) {
    }

    @Test
    void subscriberReceivesJsonAndCsvReadings() throws Exception {
        ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
        MachineSimulatorTest.CollectingSink opcua = new MachineSimulatorTest.CollectingSink();
        Instant before = Instant.now();
        try (EmbeddedMqttBroker broker = new EmbeddedMqttBroker(dir, FreePorts.next())) {
            broker.start();
            MqttClient subscriber = new MqttClient(broker.serverUri(), "it-sub", new MemoryPersistence());
            subscriber.setCallback(new Collector(received));
            subscriber.connect();
            subscriber.subscribe(new String[] {"plant-a/#", "iot-sensor/sw/#"}, new int[] {1, 1});

            PahoPublisher publisher = new PahoPublisher(broker.serverUri(), "simulator");
            publisher.connect();
            try (MachineSimulator sim = new MachineSimulator(SimulatedMachine.defaultPlant("plant-a", 2),
                    Map.of(MQTT_JSON, new MqttJsonSink(publisher), MQTT_CSV, new MqttCsvSink(publisher), OPCUA, opcua),
                    100, 0.01, 5.0, Clock.systemUTC(), new SplittableRandom(3))) {
                sim.start();
                Waits.within(Duration.ofSeconds(20), () -> received.size() >= 40);
            }
            subscriber.disconnect();
            subscriber.close();
        }

        List<Received> json = received.stream().filter(r -> r.topic().startsWith("plant-a/")).toList();
        List<Received> csv = received.stream().filter(r -> r.topic().startsWith("iot-sensor/")).toList();
        assertTrue(json.size() >= 8 && csv.size() >= 8, "json " + json.size() + ", csv " + csv.size());

        for (Received r : json) {
            Matcher m = JSON.matcher(r.payload());
            assertTrue(m.matches(), r.payload());
            SimulatedMachine.Tag tag = tag(m.group(3));
            assertEquals("plant-a/line-1/" + m.group(1) + "/" + tag.tagName, r.topic());
            assertEquals(tag.deviceId, m.group(2));
            assertEquals(tag.unit, m.group(6));
            assertTrue(!Instant.parse(m.group(7)).isBefore(before.minusSeconds(1)), r.payload());
        }
        for (Received r : csv) {
            Matcher m = CSV.matcher(r.payload());
            assertTrue(m.matches(), r.payload());
            SimulatedMachine.Tag tag = tag(r.topic().substring("iot-sensor/sw/".length()));
            assertEquals(tag.deviceId, m.group(2), r.toString());
            assertTrue(Long.parseLong(m.group(5)) >= before.toEpochMilli() - 1000, r.payload());
        }
        assertEquals(4, json.stream().map(Received::topic).distinct().count(), "2 machines x 2 tags");
        assertEquals(2, csv.stream().map(Received::topic).distinct().count(), "one topic per tag");
        assertTrue(opcua.readings.stream().allMatch(r -> r.machineId().startsWith("lathe-")));
        assertTrue(!opcua.readings.isEmpty());
    }

    private static SimulatedMachine.Tag tag(String name) {
        for (SimulatedMachine.Tag t : SimulatedMachine.Tag.values()) {
            if (t.tagName.equals(name)) {
                return t;
            }
        }
        throw new AssertionError("unknown tag " + name);
    }

    private record Collector(ConcurrentLinkedQueue<Received> sink) implements io.factoryhub.plant.mqtt.MessageCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            sink.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
        }
    }
}
