package io.factoryhub.hub.inference;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** One inference request on a model the caller holds: read, checked, run, and the response body written. */
final class Inference {

    private Inference() {
    }

    static byte[] run(LoadedModel model, byte[] body) throws OipException, OrtException {
        InferRequest request = InferRequestReader.read(body);
        RequestCheck.inputs(model, request.inputs());
        List<String> outputs = RequestCheck.outputs(model, request.outputs());
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (InferRequest.Input input : request.inputs()) {
                tensors.put(input.name(), input.values().toTensor(input.shape()));
            }
            try (OrtSession.Result result = model.run(tensors, new LinkedHashSet<>(outputs))) {
                return InferResponseWriter.write(model, request.id(), outputs, result);
            }
        } finally {
            tensors.values().forEach(OnnxTensor::close);
        }
    }
}
