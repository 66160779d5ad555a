package io.factoryhub.app.plant;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.opcua.OpcUaMachineServer;
import io.factoryhub.plant.sim.MachineSimulator;
import io.factoryhub.plant.sim.MqttCsvSink;
import io.factoryhub.plant.sim.MqttJsonSink;
import io.factoryhub.plant.sim.PahoPublisher;
import io.factoryhub.plant.sim.ReadingSink;
import io.factoryhub.plant.sim.SimulatedMachine;
import io.factoryhub.plant.sim.SimulatedMachine.Transport;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The machines of the default plant wired to where they report: line-1 JSON and line-2 CSV to the MQTT broker
 * the hub reads ({@code factory.mqtt.broker-url}), line-3 into the OPC-UA server's variables.
 */
final class PlantSimulator implements AutoCloseable {

    private final MachineSimulator simulator;

    PlantSimulator(HubConfig config, List<SimulatedMachine> machines, OpcUaMachineServer opcua) throws Exception {
        Map<Transport, ReadingSink> sinks = new EnumMap<>(Transport.class);
        String brokerUrl = config.get("factory.mqtt.broker-url");
        sinks.put(Transport.MQTT_JSON, new MqttJsonSink(connected(brokerUrl, "factory-hub-simulator-json")));
        sinks.put(Transport.MQTT_CSV, new MqttCsvSink(connected(brokerUrl, "factory-hub-simulator-csv")));
        if (opcua != null) {
            sinks.put(Transport.OPCUA, (machine, tag, value, sourceTime) -> opcua.setValue(machine.nodePath(tag), value, sourceTime));
        }
        simulator = new MachineSimulator(machines, sinks, config.getInt("plant.simulator.interval-ms"),
                MachineSimulator.DEFAULT_SPIKE_PROBABILITY, MachineSimulator.DEFAULT_SPIKE_FACTOR,
                Clock.systemUTC(), new SplittableRandom());
    }

    private static PahoPublisher connected(String brokerUrl, String clientId) throws Exception {
        PahoPublisher publisher = new PahoPublisher(brokerUrl, clientId);
        try {
            publisher.connect();
        } catch (Exception e) {
            publisher.close();
            throw new IllegalStateException("simulator cannot connect to the MQTT broker at " + brokerUrl + ": " + e.getMessage(), e);
        }
        return publisher;
    }

    void start() {
        simulator.start();
    }

    @Override
    public void close() {
        simulator.close();
    }
}
