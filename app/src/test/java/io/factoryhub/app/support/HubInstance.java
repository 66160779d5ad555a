package io.factoryhub.app.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * One of several hubs that run the same connectors, each in a JVM of its own ({@link HubProcess}) with its own home,
 * data dir, HTTP port and {@code factory.instance-id}: stopped gracefully (SIGTERM), killed (SIGKILL) and started again
 * on the same data dir, as an instance of a scaled-out hub would be.
 */
public final class HubInstance implements AutoCloseable {

    private final String instanceId;
    private final HubUnderTest home;
    private final Path configFile;
    private final Path log;
    private ChildJvm process;

    /** @param overrides configuration keys on top of the test plant's (e.g. another broker) */
    public HubInstance(TestPlant plant, String instanceId, Map<String, String> overrides) {
        this.instanceId = instanceId;
        Map<String, String> config = new HashMap<>(overrides);
        config.put("factory.instance-id", instanceId);
        this.home = new HubUnderTest(plant, config);
        this.configFile = home.connectors().resolveSibling("hub.properties");
        this.log = home.connectors().resolveSibling("hub.log");
    }

    public String instanceId() {
        return instanceId;
    }

    /** Its connectors/ folder, to be filled before {@link #start}. */
    public Path connectors() {
        return home.connectors();
    }

    public Path log() {
        return log;
    }

    /** Starts its JVM and waits until {@code /health} answers and the route {@code routeId} is started. */
    public void start(String routeId, Duration timeout) throws IOException {
        process = HubProcess.start(home.config(), configFile, log);
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                    .until(() -> "UP".equals(home.healthCheck("route:" + routeId).path("status").asText()));
        } catch (RuntimeException e) {
            throw new AssertionError("hub " + instanceId + ": route " + routeId + " not started within " + timeout
                    + "; its log: " + log, e);
        }
    }

    /** SIGTERM: the hub drains what it has in flight and stops; returns once its JVM is gone. */
    public void stop() throws InterruptedException {
        process.close();
    }

    /** SIGKILL, like a crashed machine. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    /** The sum of a meter's samples in its /metrics; 0 when it does not answer or has none. */
    public double metric(String name) {
        try {
            double value = home.metric(name);
            return Double.isNaN(value) ? 0 : value;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
        home.close();
    }
}
