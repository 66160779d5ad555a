package io.factoryhub.plant.mqtt;

import io.factoryhub.testkit.FreePorts;
import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * MQTT QoS 1 throughput, one Paho publisher to one persistent Paho subscriber. Slow, so only with
 * {@code mvn -B -o test -pl plant -Dtest=MqttThroughputBenchTest -Dbench=true} (add
 * {@code -Dbench.messages=N}, {@code -Dbench.noDelay=true} for TCP_NODELAY on the subscriber).
 * Results go to target/surefire-reports/io.factoryhub.plant.mqtt.MqttThroughputBenchTest-output.txt.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class MqttThroughputBenchTest {

    private static final Logger LOG = LoggerFactory.getLogger(MqttThroughputBenchTest.class);
    private static final int MESSAGES = Integer.getInteger("bench.messages", 50_000);
    private static final int PAYLOAD_BYTES = 200;
    private static final int PUBLISHER_IN_FLIGHT = 1000;

    @TempDir
    Path dir;

    @Test
    void hivemqAsShipped() throws Exception {
        bench(EmbeddedMqttBroker.Kind.HIVEMQ);
    }

    @Test
    void mosquitto() throws Exception {
        assumeTrue(MosquittoBackend.executable() != null, "mosquitto not installed");
        bench(EmbeddedMqttBroker.Kind.MOSQUITTO);
    }

    /** HiveMQ with its defaults (in-memory; queue raised only so that nothing is dropped): the "before". */
    @Test
    void hivemqDefaultsInMemory() throws Exception {
        int port = FreePorts.next();
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <hivemq>
                  <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
                  <mqtt><queued-messages><max-queue-size>1000000</max-queue-size></queued-messages></mqtt>
                  <persistence><mode>in-memory</mode></persistence>
                  <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                </hivemq>
                """.formatted(port));
        Files.copy(Path.of(getClass().getResource("/logback-test.xml").toURI()), conf.resolve("logback.xml"));
        InternalConfigurations.MAX_INFLIGHT_WINDOW_SIZE_MESSAGES = 50;
        try (EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder().withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions"))).build()) {
            hivemq.start().join();
            measure("hivemq-defaults-in-memory", port);
        }
    }

    private void bench(EmbeddedMqttBroker.Kind kind) throws Exception {
        try (EmbeddedMqttBroker broker = new EmbeddedMqttBroker(dir, FreePorts.next(), kind)) {
            broker.start();
            measure(kind.name().toLowerCase(), broker.port());
        }
    }

    private static void measure(String label, int port) throws Exception {
        MqttThroughputBench.run(port, Math.min(MESSAGES, 5000), PAYLOAD_BYTES, PUBLISHER_IN_FLIGHT); // warm-up
        MqttThroughputBench.Result result = MqttThroughputBench.run(port, MESSAGES, PAYLOAD_BYTES, PUBLISHER_IN_FLIGHT);
        String line = String.format("BENCH %s noDelay=%s: %s", label, Boolean.getBoolean("bench.noDelay"), result);
        LOG.info(line);
        System.out.println(line);
        assertEquals(MESSAGES, result.received(), "every QoS 1 message must arrive");
    }
}
