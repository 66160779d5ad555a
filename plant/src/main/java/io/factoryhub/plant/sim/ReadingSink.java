package io.factoryhub.plant.sim;

import java.time.Instant;

/** Where the simulator's readings go: an MQTT topic layout, an OPC-UA address space, a test queue. */
public interface ReadingSink extends AutoCloseable {

    /** Publishes one reading; may block briefly for back-pressure. A failure is logged by the caller. */
    void publish(SimulatedMachine machine, SimulatedMachine.Tag tag, double value, Instant sourceTime) throws Exception;

    /** Releases connections; the simulator calls it on close. Default: nothing to release. */
    @Override
    default void close() throws Exception {
    }
}
