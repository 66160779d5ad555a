package io.factoryhub.hub.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OIP v2 endpoints over real HTTP, with real ONNX Runtime sessions of the fixture models: threshold versions 1 and
 * 2 (label = sum of the window > 10 resp. 20, probabilities [1 - p, p], p = sigmoid(sum - threshold)) and echo.
 */
class ModelServerTest {

    /** Sums 15 and 25: below and above version 2's threshold of 20. */
    private static final String TWO_WINDOWS = "[1, 2, 3, 4, 5, 5, 5, 5, 5, 5]";
    private static final double SIGMOID_5 = 1 / (1 + Math.exp(-5));

    @TempDir
    static Path repository;
    private static RunningModelServer hub;

    @BeforeAll
    static void start() throws Exception {
        RunningModelServer.copyFixture("threshold", 1, repository);
        RunningModelServer.copyFixture("threshold", 2, repository);
        RunningModelServer.copyFixture("echo", 1, repository);
        hub = RunningModelServer.start(repository);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void should_be_live_and_ready_with_every_model_loaded() throws Exception {
        HttpResponse<String> live = hub.get("/v2/health/live");
        assertEquals(200, live.statusCode());
        assertTrue(RunningModelServer.json(live).get("live").asBoolean());
        HttpResponse<String> ready = hub.get("/v2/health/ready");
        assertEquals(200, ready.statusCode());
        assertTrue(RunningModelServer.json(ready).get("ready").asBoolean());
        assertEquals(java.util.Map.of("echo", 1L, "threshold", 2L), hub.server().served());
        assertEquals(200, hub.get("/v2/models/threshold/ready").statusCode());
        assertEquals(200, hub.get("/v2/models/threshold/versions/2/ready").statusCode());
    }

    @Test
    void should_describe_the_latest_version_of_a_model() throws Exception {
        for (String path : List.of("/v2/models/threshold", "/v2/models/threshold/versions/2")) {
            HttpResponse<String> response = hub.get(path);
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(RunningModelServer.json("""
                    {"name": "threshold", "versions": ["2"], "platform": "onnxruntime_onnx",
                     "inputs": [{"name": "window", "datatype": "FP32", "shape": [-1, 5]}],
                     "outputs": [{"name": "label", "datatype": "INT64", "shape": [-1]},
                                 {"name": "probabilities", "datatype": "FP32", "shape": [-1, 2]}]}
                    """), RunningModelServer.json(response));
        }
    }

    @Test
    void should_score_a_batch_with_the_latest_version() throws Exception {
        HttpResponse<String> response = hub.post("/v2/models/threshold/infer", """
                {"id": "batch-7", "inputs": [{"name": "window", "shape": [2, 5], "datatype": "FP32", "data": %s}]}
                """.formatted(TWO_WINDOWS));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = RunningModelServer.json(response);
        assertEquals("threshold", body.get("model_name").asText());
        assertEquals("2", body.get("model_version").asText());
        assertEquals("batch-7", body.get("id").asText());
        assertEquals(2, body.get("outputs").size());
        JsonNode label = body.get("outputs").get(0);
        assertEquals("label", label.get("name").asText());
        assertEquals("INT64", label.get("datatype").asText());
        assertEquals("[2]", label.get("shape").toString());
        assertEquals("[0,1]", label.get("data").toString());
        JsonNode probabilities = body.get("outputs").get(1);
        assertEquals("probabilities", probabilities.get("name").asText());
        assertEquals("FP32", probabilities.get("datatype").asText());
        assertEquals("[2,2]", probabilities.get("shape").toString());
        assertValues(List.of(SIGMOID_5, 1 - SIGMOID_5, 1 - SIGMOID_5, SIGMOID_5), probabilities.get("data"));
    }

    @Test
    void should_read_nested_data_fields_in_any_order_and_return_only_the_outputs_asked_for() throws Exception {
        HttpResponse<String> response = hub.post("/v2/models/threshold/versions/2/infer", """
                {"outputs": [{"name": "probabilities"}],
                 "inputs": [{"data": [[1, 2, 3, 4, 5], [5, 5, 5, 5, 5]], "shape": [2, 5], "name": "window", "datatype": "FP32"}]}
                """);
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = RunningModelServer.json(response);
        assertFalse(body.has("id"), "no id asked, none given");
        assertEquals(1, body.get("outputs").size());
        assertEquals("probabilities", body.get("outputs").get(0).get("name").asText());
        assertValues(List.of(SIGMOID_5, 1 - SIGMOID_5, 1 - SIGMOID_5, SIGMOID_5), body.get("outputs").get(0).get("data"));
    }

    @Test
    void should_return_outputs_in_the_order_asked_for() throws Exception {
        HttpResponse<String> response = hub.post("/v2/models/threshold/infer", """
                {"inputs": [{"name": "window", "shape": [1, 5], "datatype": "FP32", "data": [1, 2, 3, 4, 5]}],
                 "outputs": [{"name": "probabilities"}, {"name": "label"}]}
                """);
        JsonNode outputs = RunningModelServer.json(response).get("outputs");
        assertEquals("probabilities", outputs.get(0).get("name").asText());
        assertEquals("label", outputs.get(1).get("name").asText());
    }

    @Test
    void should_take_and_return_fp64_int32_and_bool() throws Exception {
        HttpResponse<String> response = hub.post("/v2/models/echo/infer", """
                {"inputs": [{"name": "reals", "shape": [3], "datatype": "FP64", "data": [0.1, -2.5e300, 7]},
                            {"name": "counts", "shape": [3], "datatype": "INT32", "data": [-2147483648, 0, 2147483647]},
                            {"name": "flags", "shape": [3], "datatype": "BOOL", "data": [true, false, true]}]}
                """);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(RunningModelServer.json("""
                {"model_name": "echo", "model_version": "1", "outputs": [
                  {"name": "reals_out", "shape": [3], "datatype": "FP64", "data": [0.1, -2.5e300, 7.0]},
                  {"name": "counts_out", "shape": [3], "datatype": "INT32", "data": [-2147483648, 0, 2147483647]},
                  {"name": "flags_out", "shape": [3], "datatype": "BOOL", "data": [true, false, true]}]}
                """), RunningModelServer.json(response));
    }

    static Stream<Arguments> badRequests() {
        String window = "{\"name\": \"window\", \"shape\": [1, 5], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5]}";
        return Stream.of(
                Arguments.of("malformed JSON", "{\"inputs\": [", "malformed JSON"),
                Arguments.of("not an object", "[]", "the request must be an object"),
                Arguments.of("no inputs", "{\"id\": \"x\"}", "the request has no inputs"),
                Arguments.of("unknown input", "{\"inputs\": [" + window.replace("\"window\"", "\"windows\"") + "]}",
                        "unknown input 'windows': model 'threshold' takes window"),
                Arguments.of("input twice", "{\"inputs\": [" + window + ", " + window + "]}", "input 'window' is given twice"),
                Arguments.of("wrong datatype", "{\"inputs\": [" + window.replace("FP32", "INT64") + "]}",
                        "input 'window' is FP32, not INT64"),
                Arguments.of("no such datatype", "{\"inputs\": [" + window.replace("FP32", "FLOAT") + "]}",
                        "input 'window': datatype 'FLOAT' is not one this server takes"),
                Arguments.of("shape holds more than the data", "{\"inputs\": [" + window.replace("[1, 5]", "[2, 5]") + "]}",
                        "input 'window': shape [2, 5] holds 10 values, data has 5"),
                Arguments.of("wrong rank", "{\"inputs\": [" + window.replace("[1, 5]", "[5]") + "]}",
                        "input 'window' has shape [-1, 5] (-1: any size), not [5]"),
                Arguments.of("fixed dimension differs", "{\"inputs\": [" + window.replace("[1, 5]", "[5, 1]") + "]}",
                        "input 'window' has shape [-1, 5] (-1: any size), not [5, 1]"),
                Arguments.of("negative dimension", "{\"inputs\": [" + window.replace("[1, 5]", "[-1, 5]") + "]}",
                        "input 'window': shape [-1, 5] has a negative dimension"),
                Arguments.of("a value of the wrong type", "{\"inputs\": [" + window.replace("[1, 2, 3, 4, 5]", "[1, 2, \"3\", 4, 5]") + "]}",
                        "input 'window': 3 does not fit datatype FP32"),
                Arguments.of("data not an array", "{\"inputs\": [" + window.replace("[1, 2, 3, 4, 5]", "5") + "]}",
                        "input 'window': data must be an array"),
                Arguments.of("no data", "{\"inputs\": [{\"name\": \"window\", \"shape\": [1, 5], \"datatype\": \"FP32\"}]}",
                        "input 'window' needs shape, datatype and data"),
                Arguments.of("input without a name", "{\"inputs\": [{\"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}",
                        "an input has no name"),
                Arguments.of("shape too large", "{\"inputs\": [" + window.replace("[1, 5]", "[4294967296, 4294967296]") + "]}",
                        "input 'window': shape [4294967296, 4294967296] is too large"),
                Arguments.of("unknown output", "{\"inputs\": [" + window + "], \"outputs\": [{\"name\": \"score\"}]}",
                        "unknown output 'score': model 'threshold' returns label, probabilities"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void should_refuse_a_bad_request_with_400_and_why(String problem, String body, String error) throws Exception {
        HttpResponse<String> response = hub.post("/v2/models/threshold/infer", body);
        assertEquals(400, response.statusCode(), response.body());
        assertEquals("application/json", response.headers().firstValue("content-type").orElseThrow());
        String message = RunningModelServer.json(response).get("error").asText();
        assertTrue(message.startsWith(error), message);
    }

    @Test
    void should_refuse_values_a_datatype_cannot_hold() throws Exception {
        HttpResponse<String> response = hub.post("/v2/models/echo/infer", """
                {"inputs": [{"name": "reals", "shape": [1], "datatype": "FP64", "data": [1]},
                            {"name": "counts", "shape": [1], "datatype": "INT32", "data": [2147483648]},
                            {"name": "flags", "shape": [1], "datatype": "BOOL", "data": [true]}]}
                """);
        assertEquals(400, response.statusCode());
        assertEquals("input 'counts': 2147483648 does not fit datatype INT32", RunningModelServer.json(response).get("error").asText());
    }

    @Test
    void should_answer_404_for_an_unknown_model_or_version() throws Exception {
        String body = "{\"inputs\": [{\"name\": \"window\", \"shape\": [1, 5], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4, 5]}]}";
        List<HttpResponse<String>> responses = List.of(
                hub.get("/v2/models/vibration"), hub.get("/v2/models/vibration/ready"),
                hub.post("/v2/models/vibration/infer", body),
                hub.get("/v2/models/threshold/versions/1"), hub.get("/v2/models/threshold/versions/3/ready"),
                hub.post("/v2/models/threshold/versions/1/infer", body));
        for (HttpResponse<String> response : responses) {
            assertEquals(404, response.statusCode(), response.uri() + " " + response.body());
            assertTrue(RunningModelServer.json(response).get("error").asText().startsWith("model '"), response.body());
        }
        assertEquals("model 'threshold' has no version '1' served; version 2 is (the latest that loads)",
                RunningModelServer.json(responses.get(3)).get("error").asText());
    }

    @Test
    void should_time_requests_per_model_and_publish_the_served_versions() throws Exception {
        hub.post("/v2/models/threshold/infer", "{\"inputs\": []}");
        String metrics = hub.get("/metrics").body();
        assertTrue(metrics.contains("factory_inference_requests_seconds_count{model=\"threshold\",status=\"400\"}"), metrics);
        assertTrue(metrics.contains("factory_inference_model_version{model=\"threshold\"} 2.0"), metrics);
        assertTrue(metrics.contains("factory_inference_model_version{model=\"echo\"} 1.0"), metrics);
    }

    /** Figures for the README, not asserted: the box is shared, so they say little about a regression. */
    @Test
    void prints_the_round_trip_of_64_window_batches() throws Exception {
        java.util.Random random = new java.util.Random(42);
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 64 * 5; i++) {
            data.append(i == 0 ? "" : ",").append(random.nextFloat() * 8);
        }
        String body = "{\"inputs\": [{\"name\": \"window\", \"shape\": [64, 5], \"datatype\": \"FP32\", \"data\": ["
                + data + "]}]}";
        for (int i = 0; i < 300; i++) {
            assertEquals(200, hub.post("/v2/models/threshold/infer", body).statusCode());
        }
        long[] nanos = new long[1000];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            assertEquals(200, hub.post("/v2/models/threshold/infer", body).statusCode());
            nanos[i] = System.nanoTime() - start;
        }
        java.util.Arrays.sort(nanos);
        int clients = 4;
        int perClient = 500;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < perClient; i++) {
                    assertEquals(200, hub.post("/v2/models/threshold/infer", body).statusCode());
                }
                return perClient;
            }));
        }
        int requests = 0;
        for (java.util.concurrent.Future<Integer> client : done) {
            requests += client.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf("64-window infer round trip over localhost HTTP, 1000 sequential requests: p50 %.2f ms, "
                        + "p99 %.2f ms, max %.2f ms; %d clients x %d requests: %.0f requests/s = %.0f windows/s (%d-byte body)%n",
                nanos[499] / 1e6, nanos[989] / 1e6, nanos[999] / 1e6, clients, perClient, requests / seconds,
                64 * requests / seconds, body.length());
    }

    private static void assertValues(List<Double> expected, JsonNode actual) {
        assertEquals(expected.size(), actual.size(), actual.toString());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i).asDouble(), 1e-6, actual.toString());
        }
    }
}
