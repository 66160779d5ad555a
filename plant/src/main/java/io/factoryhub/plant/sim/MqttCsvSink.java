package io.factoryhub.plant.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Industrial-Edge style CSV over MQTT: topic {@code iot-sensor/sw/<tag>}, payload
 * {@code machineId,deviceId,value,epochMillis}, e.g. {@code mill-03,vib-1,4.21,1763805600123}.
 */
public final class MqttCsvSink implements ReadingSink {

    private final PahoPublisher publisher;

    public MqttCsvSink(PahoPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void publish(SimulatedMachine m, SimulatedMachine.Tag tag, double value, Instant sourceTime) throws Exception {
        publisher.publish("iot-sensor/sw/" + tag.tagName, payload(m, tag, value, sourceTime).getBytes(StandardCharsets.UTF_8));
    }

    static String payload(SimulatedMachine m, SimulatedMachine.Tag tag, double value, Instant sourceTime) {
        return m.machineId() + "," + tag.deviceId + "," + Readings.number(value) + "," + sourceTime.toEpochMilli();
    }

    @Override
    public void close() {
        publisher.close();
    }
}
