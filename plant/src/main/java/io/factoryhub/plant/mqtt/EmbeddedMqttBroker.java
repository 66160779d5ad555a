package io.factoryhub.plant.mqtt;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A real MQTT 5 broker on 127.0.0.1 whose persistent sessions and queued QoS 1 messages survive a
 * restart on the same data directory.
 *
 * <p>Two backends: HiveMQ CE in this JVM (the default, nothing to install) or Debian's mosquitto
 * 2.0 as a child process ({@code apt-get install mosquitto}). Measured on the 2-core build machine
 * with MqttThroughputBenchTest (50,000 QoS 1 messages of 200 bytes, one async Paho publisher, one
 * Paho subscriber with a persistent session, end to end): HiveMQ as configured here (file
 * persistence) ~6-7k msg/s, CPU-bound in one Xodus transaction per queued message; mosquitto
 * 29-39k msg/s. Throughput figures should therefore be taken against mosquitto.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    /** The available brokers. */
    public enum Kind {
        /** HiveMQ CE embedded, file persistence. */
        HIVEMQ,
        /** mosquitto child process (must be installed), persistence file in the data directory. */
        MOSQUITTO;

        /** Parses {@code hivemq} or {@code mosquitto} (case-insensitive). */
        public static Kind fromName(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final Path dataDir;
    private final int port;
    private final Kind kind;
    private MqttBrokerBackend backend;

    /** HiveMQ CE in this JVM. */
    public EmbeddedMqttBroker(Path dataDir, int port) {
        this(dataDir, port, Kind.HIVEMQ);
    }

    public EmbeddedMqttBroker(Path dataDir, int port, Kind kind) {
        this.dataDir = dataDir;
        this.port = port;
        this.kind = kind;
    }

    /** Whether this kind can run here: HiveMQ always, mosquitto when installed ({@code apt-get install mosquitto}). */
    public static boolean available(Kind kind) {
        return kind == Kind.HIVEMQ || MosquittoBackend.executable() != null;
    }

    /** Starts the broker; returns once it accepts connections. A failed start leaves nothing running. */
    public synchronized void start() throws Exception {
        if (backend != null) {
            throw new IllegalStateException("already started");
        }
        MqttBrokerBackend candidate = switch (kind) {
            case HIVEMQ -> new HiveMqBackend(dataDir.resolve("hivemq"), port);
            case MOSQUITTO -> new MosquittoBackend(dataDir.resolve("mosquitto"), port);
        };
        try {
            candidate.start();
        } catch (Exception | Error e) {
            candidate.close();
            throw e;
        }
        backend = candidate;
    }

    public int port() {
        return port;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code tcp://127.0.0.1:<port>}, the Paho server URI. */
    public String serverUri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Stops the broker; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (backend != null) {
            backend.close();
            backend = null;
        }
    }
}
