package io.factoryhub.plant.sim;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * JSON over MQTT: topic {@code <site>/<line>/<machineId>/<tag>}, payload
 * {@code {"machineId":"press-01","deviceId":"vib-1","tag":"vibration","value":4.21,"unit":"mm/s","timestamp":"2026-11-22T10:00:00.123Z"}}.
 */
public final class MqttJsonSink implements ReadingSink {

    private final PahoPublisher publisher;

    public MqttJsonSink(PahoPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void publish(SimulatedMachine m, SimulatedMachine.Tag tag, double value, Instant sourceTime) throws Exception {
        String topic = m.site() + "/" + m.line() + "/" + m.machineId() + "/" + tag.tagName;
        publisher.publish(topic, payload(m, tag, value, sourceTime).getBytes(StandardCharsets.UTF_8));
    }

    static String payload(SimulatedMachine m, SimulatedMachine.Tag tag, double value, Instant sourceTime) {
        return "{\"machineId\":" + Readings.jsonString(m.machineId())
                + ",\"deviceId\":" + Readings.jsonString(tag.deviceId)
                + ",\"tag\":" + Readings.jsonString(tag.tagName)
                + ",\"value\":" + Readings.number(value)
                + ",\"unit\":" + Readings.jsonString(tag.unit)
                + ",\"timestamp\":\"" + Readings.timestamp(sourceTime) + "\"}";
    }

    @Override
    public void close() {
        publisher.close();
    }
}
