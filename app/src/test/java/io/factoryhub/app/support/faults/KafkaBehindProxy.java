package io.factoryhub.app.support.faults;

import io.factoryhub.plant.kafka.EmbeddedKafka;
import io.factoryhub.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Kafka of its own (not the shared test plant's, so cutting it disturbs no other test) that clients reach only
 * through a {@link CuttableTcpProxy}: the broker advertises the proxy's port, so the bootstrap connection and every
 * connection to the broker the metadata names go through the proxy, and {@link #cut()} takes all of them away.
 */
public final class KafkaBehindProxy implements AutoCloseable {

    /** Apart from the test plant's node 1: brokers in one JVM register metrics under their node id. */
    private static final int NODE_ID = 61;

    private final Path logDir;
    private final CuttableTcpProxy proxy;
    private final EmbeddedKafka kafka;

    private KafkaBehindProxy(Path logDir, CuttableTcpProxy proxy, EmbeddedKafka kafka) {
        this.logDir = logDir;
        this.proxy = proxy;
        this.kafka = kafka;
    }

    /** Starts the proxy, then the broker behind it (a new temp log dir); blocks until Kafka serves requests. */
    public static KafkaBehindProxy start() throws Exception {
        Path logDir = Files.createTempDirectory("factory-hub-kafka-behind-proxy");
        int brokerPort = FreePorts.next();
        CuttableTcpProxy proxy = new CuttableTcpProxy(brokerPort);
        EmbeddedKafka kafka = new EmbeddedKafka(logDir, brokerPort, FreePorts.next(), NODE_ID,
                Map.of("advertised.listeners", "PLAINTEXT://127.0.0.1:" + proxy.port()));
        try {
            kafka.start();
        } catch (Exception e) {
            proxy.close();
            throw e;
        }
        return new KafkaBehindProxy(logDir, proxy, kafka);
    }

    /** The proxy's address: what every client of this Kafka is given. */
    public String bootstrapServers() {
        return "127.0.0.1:" + proxy.port();
    }

    /** Kafka unreachable, like a dropped network (see {@link CuttableTcpProxy}); the broker keeps running. */
    public void cut() {
        proxy.cut();
    }

    public void restore() {
        proxy.restore();
    }

    @Override
    public void close() {
        proxy.close();
        kafka.close();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
