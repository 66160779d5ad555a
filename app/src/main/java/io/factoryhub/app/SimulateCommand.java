package io.factoryhub.app;

import io.factoryhub.app.plant.EmbeddedPlant;
import io.factoryhub.hub.config.HubConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The machine simulator alone: MQTT lines publish to any broker, the OPC-UA line is served by its own Milo server. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Run the simulated machines against any MQTT broker, with their own OPC-UA server, until Ctrl-C.")
public final class SimulateCommand implements Callable<Integer> {

    @Mixin
    CommonOptions options;

    @Option(names = "--broker-url", description = "MQTT broker for lines 1 and 2 (default: factory.mqtt.broker-url).")
    String brokerUrl;

    @Option(names = "--opcua-port", description = "Port of the simulator's OPC-UA server (default: plant.opcua.port).")
    Integer opcuaPort;

    @Option(names = "--no-opcua", description = "Do not serve line 3 over OPC-UA.")
    boolean noOpcua;

    @Option(names = "--machines-per-line", description = "Machines on each of the 3 lines (default: plant.simulator.machines-per-line).")
    Integer machinesPerLine;

    @Option(names = "--interval-ms", description = "Time between two readings of one tag (default: plant.simulator.interval-ms).")
    Integer intervalMs;

    @Override
    public Integer call() throws Exception {
        HubConfig config = options.load()
                .with("plant.kafka.enabled", "false")
                .with("plant.external-kafka.enabled", "false")
                .with("plant.mqtt.enabled", "false")
                .with("plant.simulator.enabled", "true")
                .with("plant.opcua.enabled", Boolean.toString(!noOpcua));
        config = brokerUrl == null ? config : config.with("factory.mqtt.broker-url", brokerUrl);
        config = opcuaPort == null ? config : config.with("plant.opcua.port", opcuaPort.toString());
        config = machinesPerLine == null ? config : config.with("plant.simulator.machines-per-line", machinesPerLine.toString());
        config = intervalMs == null ? config : config.with("plant.simulator.interval-ms", intervalMs.toString());
        EmbeddedPlant plant = new EmbeddedPlant(config).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            plant.close();
            stopped.countDown();
        }, "simulator-shutdown"));
        System.out.println("factory-hub simulate: publishing to " + config.get("factory.mqtt.broker-url"));
        plant.endpoints().forEach(line -> System.out.println("  " + line));
        stopped.await();
        return 0;
    }
}
