package io.factoryhub.app.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.factoryhub.hub.HubRuntime;
import io.factoryhub.hub.config.HubConfig;
import io.factoryhub.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A hub on the shared test plant, with its own home folder: the repo's real kamelets/ and routes/ (the
 * anomaly-detection flow only when asked for, {@link #withAnomalyDetection()}), and a
 * connectors/ folder the test fills (copies of the repo's Pipes, or Pipes written by the test).
 */
public final class HubUnderTest implements AutoCloseable {

    public static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String ANOMALY_DETECTION = "anomaly-detection.camel.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path home;
    private final HubConfig config;
    private HubRuntime runtime;

    public HubUnderTest(TestPlant plant) {
        this(plant, REPO.resolve("kamelets"));
    }

    /** A hub whose kamelets/ folder is {@code kamelets} instead of the repo's. */
    public HubUnderTest(TestPlant plant, Path kamelets) {
        this(plant, kamelets, Map.of());
    }

    /** A hub with some configuration keys set (e.g. the data lake's). */
    public HubUnderTest(TestPlant plant, Map<String, String> overrides) {
        this(plant, REPO.resolve("kamelets"), overrides);
    }

    private HubUnderTest(TestPlant plant, Path kamelets, Map<String, String> overrides) {
        try {
            home = Files.createTempDirectory("factory-hub-home");
            Files.createDirectories(home.resolve("connectors"));
            Files.createDirectories(home.resolve("rules"));
            copyDir(REPO.resolve("routes"), home.resolve("routes"), file -> !file.endsWith(ANOMALY_DETECTION));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HubConfig base = HubConfig.defaults()
                .with("factory.home", home.toString())
                .with("factory.kamelets-dir", kamelets.toString())
                // the committed anomaly model for routes/anomaly-detection.camel.yaml; a test that swaps versions uses a copy
                .with("factory.ml.model-repository", REPO.resolve("ml/models").toString())
                .with("factory.kafka.bootstrap-servers", plant.bootstrapServers())
                .with("factory.mqtt.broker-url", plant.mqttUrl())
                .with("factory.opcua.endpoint", plant.opcuaUrl())
                .with("factory.http.port", Integer.toString(FreePorts.next()))
                .with("factory.reload.interval-ms", "200")
                // CDC tests switch it on with their own database (CdcTestSupport)
                .with("factory.cdc.enabled", "false")
                // the repo's Debezium settings: the stream processing takes the CDC topics' prefix from them
                .with("factory.cdc.config", REPO.resolve("cdc/debezium.properties").toString())
                // the lake tests switch it on with the test plant's S3
                .with("factory.lake.enabled", "false")
                // the mirror tests start MirrorMaker2 themselves, against the test plant's external cluster
                .with("factory.mirror.enabled", "false")
                // DashboardBrowserTest switches it on; the other tests need no consumer reading all telemetry
                .with("factory.dashboard.enabled", "false")
                // the rules and stream tests switch it on (each with an application id and rules/ of its own)
                .with("factory.streams.enabled", "false")
                .with("factory.rules-dir", home.resolve("rules").toString());
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            base = base.with(override.getKey(), override.getValue());
        }
        config = base;
    }

    /**
     * Adds the repo's anomaly-detection flow, which every other test goes without: it scores every reading, which
     * doubles the CPU per reading of the fault suites' loads on the 2-core build machine (seen as catch-up timeouts).
     */
    public HubUnderTest withAnomalyDetection() {
        try {
            Files.copy(REPO.resolve("routes").resolve(ANOMALY_DETECTION), routes().resolve(ANOMALY_DETECTION));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Copies one of the repo's connectors into this hub's connectors/ folder. */
    public HubUnderTest withRepoConnector(String fileName) {
        try {
            Files.copy(REPO.resolve("connectors").resolve(fileName), connectors().resolve(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public HubUnderTest start() throws Exception {
        runtime = new HubRuntime(config);
        runtime.start();
        return this;
    }

    public void stop() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    public HubRuntime runtime() {
        return runtime;
    }

    public Path connectors() {
        return home.resolve("connectors");
    }

    public Path routes() {
        return home.resolve("routes");
    }

    public Path rules() {
        return home.resolve("rules");
    }

    /** Its configuration: what a hub in a child JVM ({@link HubProcess}) is started with. */
    public HubConfig config() {
        return config;
    }

    /**
     * One check of /health ({@code name}, {@code status}, {@code message}, {@code data}); a missing node when /health
     * does not list it.
     */
    public JsonNode healthCheck(String name) throws IOException, InterruptedException {
        String answer = http("/health?exposureLevel=full");
        JsonNode body = JSON.readTree(answer.substring(answer.indexOf(' ') + 1));
        for (JsonNode check : body.path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        return MissingNode.getInstance();
    }

    /** The sum of a meter's samples in /metrics (e.g. {@code factory_buffer_records}); NaN when it has none. */
    public double metric(String name) throws IOException, InterruptedException {
        return http("/metrics").lines()
                .filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .reduce(Double::sum).orElse(Double.NaN);
    }

    public String http(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort() + path))
                        .timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.body();
    }

    /** The port of /health and /metrics. */
    public int httpPort() {
        return config.getInt("factory.http.port");
    }

    @Override
    public void close() {
        stop();
    }

    /** A copy of the repo's kamelets/ that a test may edit or add to (pass it to the constructor). */
    public static Path copyOfRepoKamelets() throws IOException {
        Path kamelets = Files.createTempDirectory("kamelets");
        copyDir(REPO.resolve("kamelets"), kamelets);
        return kamelets;
    }

    private static void copyDir(Path from, Path to) throws IOException {
        copyDir(from, to, file -> true);
    }

    private static void copyDir(Path from, Path to, java.util.function.Predicate<Path> include) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(include).toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
    }
}
