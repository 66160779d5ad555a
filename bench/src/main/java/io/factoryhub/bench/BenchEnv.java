package io.factoryhub.bench;

import io.factoryhub.testkit.FreePorts;

import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.plant.kafka.EmbeddedKafka;
import io.factoryhub.plant.mqtt.EmbeddedMqttBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a bench stage runs on: a temp directory, free ports, its own embedded Kafka and MQTT broker, and the hub
 * configuration pointing at them. Everything started here is stopped (in reverse order) and the directory deleted
 * by {@link #close()}, so a bench leaves no processes, ports or data behind - also when it fails half-way.
 */
final class BenchEnv implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BenchEnv.class);
    private static final List<String> MOSQUITTO = List.of("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto",
            "/usr/bin/mosquitto", "/usr/local/bin/mosquitto");

    final Path dir;
    private final HubConfig base;
    private final Deque<AutoCloseable> running = new ArrayDeque<>();
    private EmbeddedKafka kafka;
    private EmbeddedMqttBroker mqtt;

    BenchEnv(HubConfig base) throws IOException {
        this.base = base;
        this.dir = Files.createTempDirectory("factory-hub-bench-");
    }

    /** Registers something to stop on close (LIFO). */
    <T extends AutoCloseable> T closeLater(T resource) {
        running.push(resource);
        return resource;
    }

    EmbeddedKafka startKafka(Map<String, Integer> topics) throws Exception {
        kafka = new EmbeddedKafka(dir.resolve("kafka"), FreePorts.next(), FreePorts.next(), 1, Map.of());
        closeLater(kafka);
        kafka.start();
        kafka.createTopics(topics);
        return kafka;
    }

    /** {@code null} or blank = mosquitto when installed (it is the faster one, ~30k vs ~7k msg/s), else HiveMQ. */
    EmbeddedMqttBroker startBroker(String requested) throws Exception {
        EmbeddedMqttBroker.Kind kind = requested == null || requested.isBlank()
                ? (mosquittoInstalled() ? EmbeddedMqttBroker.Kind.MOSQUITTO : EmbeddedMqttBroker.Kind.HIVEMQ)
                : EmbeddedMqttBroker.Kind.fromName(requested);
        mqtt = new EmbeddedMqttBroker(dir.resolve("mqtt"), FreePorts.next(), kind);
        closeLater(mqtt);
        mqtt.start();
        return mqtt;
    }

    static boolean mosquittoInstalled() {
        return MOSQUITTO.stream().map(Path::of).anyMatch(Files::isExecutable);
    }

    int partitions() {
        return base.getInt("factory.topic.partitions");
    }

    HubConfig base() {
        return base;
    }

    /**
     * The hub's configuration for a bench: this env's Kafka and broker, a free management port, the data dir and
     * the given connectors dir under the temp dir; routes/ and kamelets/ of the installation.
     */
    HubConfig hubConfig(Path connectorsDir) {
        HubConfig config = base
                .with("factory.data-dir", dir.resolve("hub").toString())
                .with("factory.connectors-dir", connectorsDir.toAbsolutePath().toString())
                .with("factory.routes-dir", base.getPath("factory.routes-dir").toAbsolutePath().toString())
                .with("factory.kamelets-dir", base.getPath("factory.kamelets-dir").toAbsolutePath().toString())
                .with("factory.http.port", Integer.toString(FreePorts.next()))
                .with("factory.cdc.enabled", "false") // the ingest and OPC-UA stages have no MES database
                .with("factory.lake.enabled", "false") // nor an S3; bench lake starts its own
                .with("factory.mirror.enabled", "false"); // nor an external cluster
        if (kafka != null) {
            config = config.with("factory.kafka.bootstrap-servers", kafka.bootstrapServers());
        }
        if (mqtt != null) {
            config = config.with("factory.mqtt.broker-url", mqtt.serverUri());
        }
        return config;
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    @Override
    public void close() {
        while (!running.isEmpty()) {
            AutoCloseable resource = running.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
        deleteTree(dir);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a temp dir
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
