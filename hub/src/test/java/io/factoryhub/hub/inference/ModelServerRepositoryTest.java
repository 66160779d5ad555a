package io.factoryhub.hub.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.factoryhub.testkit.Waits;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository while the hub runs: versions and models that come, fail to load, and go, without a restart. */
class ModelServerRepositoryTest {

    /** Sum 15: label 1 with version 1 (threshold 10), 0 with version 2 (threshold 20). */
    private static final String WINDOW = """
            {"inputs": [{"name": "window", "shape": [1, 5], "datatype": "FP32", "data": [1, 2, 3, 4, 5]}]}
            """;
    private static final Duration PICKED_UP = Duration.ofSeconds(10);

    @TempDir
    Path repository;
    private RunningModelServer hub;

    @BeforeEach
    void start() throws Exception {
        RunningModelServer.copyFixture("threshold", 1, repository);
        hub = RunningModelServer.start(repository);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void should_serve_a_new_version_dropped_in_without_a_restart() throws Exception {
        JsonNode before = score();
        assertEquals("1", before.get("model_version").asText());
        assertEquals(1, label(before));

        RunningModelServer.copyFixture("threshold", 2, repository);

        assertTrue(Waits.within(PICKED_UP, () -> hub.server().served().get("threshold") == 2L), hub.server().served().toString());
        JsonNode after = score();
        assertEquals("2", after.get("model_version").asText());
        assertEquals(0, label(after));
        assertEquals(404, hub.post("/v2/models/threshold/versions/1/infer", WINDOW).statusCode(), "version 1 is closed");
    }

    @Test
    void should_answer_every_request_while_versions_swap_under_load() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        Map<String, Integer> answers = new ConcurrentHashMap<>();
        List<String> wrong = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<?>> load = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            load.add(clients.submit(() -> {
                while (running.get()) {
                    HttpResponse<String> response = hub.post("/v2/models/threshold/infer", WINDOW);
                    JsonNode body = RunningModelServer.json(response);
                    String answer = response.statusCode() == 200
                            ? body.get("model_version").asText() + "/" + label(body) : response.statusCode() + " " + body;
                    answers.merge(answer, 1, Integer::sum);
                    if (!answer.equals("1/1") && !answer.equals("2/0")) {
                        wrong.add(answer);
                    }
                }
                return null;
            }));
        }
        try {
            for (int round = 0; round < 5; round++) {
                RunningModelServer.copyFixture("threshold", 2, repository);
                assertTrue(Waits.within(PICKED_UP, () -> hub.server().served().get("threshold") == 2L));
                deleteTree(repository.resolve("threshold/2"));
                assertTrue(Waits.within(PICKED_UP, () -> hub.server().served().get("threshold") == 1L));
            }
        } finally {
            running.set(false);
            for (Future<?> client : load) {
                client.get();
            }
            clients.shutdown();
        }
        System.out.println("Answers while swapping threshold 1 <-> 2 ten times (version/label: requests): " + answers);
        assertEquals(List.of(), wrong, "every request answered by one whole version");
        assertTrue(answers.containsKey("1/1") && answers.containsKey("2/0"), answers.toString());
    }

    @Test
    void should_go_on_serving_the_previous_version_when_a_new_one_does_not_load() throws Exception {
        Path broken = repository.resolve("threshold/2/model.onnx");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "not a model");
        assertTrue(Waits.within(PICKED_UP, () -> hub.get("/metrics").body()
                .contains("factory_inference_model_load_failures_total{model=\"threshold\"} 1.0")));

        assertEquals("1", score().get("model_version").asText());
        assertEquals(200, hub.get("/v2/health/ready").statusCode(), "the model is served, by version 1");

        // the file is rewritten with a model that loads: tried again, and served
        Files.delete(broken);
        RunningModelServer.copyFixture("threshold", 2, repository);
        assertTrue(Waits.within(PICKED_UP, () -> hub.server().served().get("threshold") == 2L), hub.server().served().toString());
        assertEquals(0, label(score()));
    }

    @Test
    void should_not_be_ready_while_a_model_has_no_version_that_loads() throws Exception {
        Path broken = repository.resolve("anomaly/1/model.onnx");
        Files.createDirectories(broken.getParent());
        Files.writeString(broken, "not a model");

        assertTrue(Waits.within(PICKED_UP, () -> hub.get("/v2/health/ready").statusCode() == 503));
        HttpResponse<String> modelReady = hub.get("/v2/models/anomaly/ready");
        assertEquals(503, modelReady.statusCode());
        JsonNode body = RunningModelServer.json(modelReady);
        assertEquals(false, body.get("ready").asBoolean());
        assertTrue(body.get("error").asText().contains(broken.toString()), body.toString());
        assertEquals(503, hub.post("/v2/models/anomaly/infer", WINDOW).statusCode());
        assertEquals(200, hub.get("/v2/models/threshold/ready").statusCode(), "the other model is unaffected");

        deleteTree(repository.resolve("anomaly"));
        assertTrue(Waits.within(PICKED_UP, () -> hub.get("/v2/health/ready").statusCode() == 200));
        assertEquals(404, hub.get("/v2/models/anomaly/ready").statusCode());
    }

    @Test
    void should_stop_serving_a_model_removed_from_the_repository() throws Exception {
        deleteTree(repository.resolve("threshold"));
        assertTrue(Waits.within(PICKED_UP, () -> hub.server().served().isEmpty()));
        assertEquals(404, hub.post("/v2/models/threshold/infer", WINDOW).statusCode());
        assertEquals(200, hub.get("/v2/health/ready").statusCode(), "no models: nothing to wait for");
    }

    private JsonNode score() throws Exception {
        HttpResponse<String> response = hub.post("/v2/models/threshold/infer", WINDOW);
        assertEquals(200, response.statusCode(), response.body());
        return RunningModelServer.json(response);
    }

    private static long label(JsonNode response) {
        return response.get("outputs").get(0).get("data").get(0).asLong();
    }

    private static void deleteTree(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
