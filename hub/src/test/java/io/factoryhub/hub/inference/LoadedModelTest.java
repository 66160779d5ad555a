package io.factoryhub.hub.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real ONNX Runtime sessions of the fixture models (src/test/resources/models, make_fixtures.py). */
class LoadedModelTest {

    private static final byte[] WINDOW = """
            {"inputs": [{"name": "window", "shape": [1, 5], "datatype": "FP32", "data": [1, 2, 3, 4, 5]}]}
            """.getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path repository;

    @Test
    void should_run_a_request_that_holds_it_after_it_is_retired_and_close_when_that_request_is_done() throws Exception {
        LoadedModel model = load("threshold");
        assertTrue(model.tryAcquire());

        model.retire();

        assertTrue(new String(Inference.run(model, WINDOW), StandardCharsets.UTF_8).contains("\"model_version\":\"1\""));
        model.release();
        assertFalse(model.tryAcquire(), "closed once the last holder let go");
    }

    @Test
    void should_refuse_a_model_with_a_datatype_it_cannot_serve() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> load("half"));
        assertEquals("'x' is of type FLOAT16, not one this server serves [BOOL, INT32, INT64, FP32, FP64]",
                refused.getMessage());
    }

    @Test
    void should_refuse_a_model_that_returns_something_other_than_tensors() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> load("sequence"));
        assertTrue(refused.getMessage().startsWith("'y' is not a tensor"), refused.getMessage());
    }

    private LoadedModel load(String fixture) throws Exception {
        RunningModelServer.copyFixture(fixture, 1, repository);
        return LoadedModel.load(new ModelRepository(repository).scan().get(fixture).get(0));
    }
}
