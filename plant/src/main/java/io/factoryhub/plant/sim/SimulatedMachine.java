package io.factoryhub.plant.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * One simulated machine: where it stands and how it reports its readings.
 *
 * @param site      site name, e.g. {@code plant-a}
 * @param line      line name, e.g. {@code line-1}
 * @param machineId machine id, unique in the plant, e.g. {@code press-01}
 * @param transport how the machine's readings leave the shop floor
 */
public record SimulatedMachine(String site, String line, String machineId, Transport transport) {

    /** The ways a simulated line reports: JSON over MQTT, Industrial-Edge CSV over MQTT, OPC-UA variables. */
    public enum Transport { MQTT_JSON, MQTT_CSV, OPCUA }

    /** The two sensor tags every machine carries, with their units; baselines from {@link SignalParameters}. */
    public enum Tag {
        VIBRATION("vibration", "mm/s", "vib-1"),
        TEMPERATURE("temperature", "degC", "temp-1");

        public final String tagName;
        public final String unit;
        public final String deviceId;
        public final double baseline;

        Tag(String tagName, String unit, String deviceId) {
            this.tagName = tagName;
            this.unit = unit;
            this.deviceId = deviceId;
            this.baseline = SignalParameters.standard().baseline(tagName);
        }
    }

    /** OPC-UA browse path below Objects, also the string part of the node id: {@code Site/Line/Machine/Tag}. */
    public String nodePath(Tag tag) {
        return site + "/" + line + "/" + machineId + "/" + tag.tagName;
    }

    /**
     * The default plant: one line per transport, {@code machinesPerLine} machines each.
     * line-1 publishes JSON over MQTT, line-2 publishes CSV over MQTT, line-3 is read over OPC-UA.
     */
    public static List<SimulatedMachine> defaultPlant(String site, int machinesPerLine) {
        String[] kinds = {"press", "mill", "lathe"};
        Transport[] transports = Transport.values();
        List<SimulatedMachine> machines = new ArrayList<>();
        int number = 1;
        for (int line = 0; line < transports.length; line++) {
            for (int m = 0; m < machinesPerLine; m++) {
                String id = String.format("%s-%02d", kinds[line], number++);
                machines.add(new SimulatedMachine(site, "line-" + (line + 1), id, transports[line]));
            }
        }
        return machines;
    }
}
