package io.factoryhub.hub.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.factoryhub.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.main.Main;

/**
 * The model server as the hub runs it: on the router of Camel Main's management HTTP server (a free loopback port,
 * Camel's Micrometer registry), over a repository in a folder the test owns, checked every 100 ms.
 */
final class RunningModelServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Main main = new Main();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI base;
    private final ModelServer server;

    private RunningModelServer(Path repository) throws Exception {
        int port = FreePorts.next();
        Properties camel = new Properties();
        camel.put("camel.main.name", "model-server-test");
        camel.put("camel.management.enabled", "true");
        camel.put("camel.management.host", "127.0.0.1");
        camel.put("camel.management.port", Integer.toString(port));
        camel.put("camel.management.metricsEnabled", "true");
        camel.put("camel.metrics.enabled", "true");
        camel.put("camel.metrics.path", "/metrics");
        main.setInitialProperties(camel);
        main.start();
        base = URI.create("http://127.0.0.1:" + port);
        server = ModelServer.start(new ModelServerSettings(repository, 100), main.getCamelContext());
    }

    static RunningModelServer start(Path repository) throws Exception {
        return new RunningModelServer(repository);
    }

    ModelServer server() {
        return server;
    }

    /** Copies a fixture's version (src/test/resources/models, written by make_fixtures.py) into a repository. */
    static void copyFixture(String model, int version, Path repository) {
        try {
            Path source = Path.of(RunningModelServer.class.getResource("/models").toURI())
                    .resolve(model).resolve(Integer.toString(version)).resolve(ModelRepository.MODEL_FILE);
            Path target = repository.resolve(model).resolve(Integer.toString(version)).resolve(ModelRepository.MODEL_FILE);
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return json(response.body());
    }

    static JsonNode json(String text) throws IOException {
        return JSON.readTree(text);
    }

    @Override
    public void close() {
        server.close();
        main.stop();
    }
}
