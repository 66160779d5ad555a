package io.factoryhub.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.factoryhub.app.support.HubUnderTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * ml/kserve/inference-service.yaml cannot be applied here (no Kubernetes): parsed, and held to what the shipped flow
 * needs of it — the OIP v2 protocol, the ONNX format, the model the route asks for, laid out in the repository as
 * Triton reads it.
 */
class KServeExampleTest {

    @Test
    void should_serve_the_routes_model_over_oip_v2_from_a_triton_layout() throws Exception {
        JsonNode service = new YAMLMapper().readTree(HubUnderTest.REPO.resolve("ml/kserve/inference-service.yaml").toFile());
        JsonNode model = service.at("/spec/predictor/model");
        String route = Files.readString(HubUnderTest.REPO.resolve("routes/anomaly-detection.camel.yaml"));
        String name = service.at("/metadata/name").asText();

        assertEquals("serving.kserve.io/v1beta1", service.get("apiVersion").asText());
        assertEquals("InferenceService", service.get("kind").asText());
        assertEquals("v2", model.get("protocolVersion").asText());
        assertEquals("onnx", model.at("/modelFormat/name").asText());
        assertTrue(route.contains("model: " + name), "the shipped route asks for " + name);
        Path version1 = HubUnderTest.REPO.resolve("ml/models").resolve(name).resolve("1/model.onnx");
        assertTrue(Files.isRegularFile(version1), "the model repository has " + version1);
    }
}
