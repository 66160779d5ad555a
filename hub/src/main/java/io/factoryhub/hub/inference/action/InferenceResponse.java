package io.factoryhub.hub.inference.action;

import java.util.List;

/** What an OIP v2 server answered: the model (and version) that scored, and each output tensor, flattened. */
record InferenceResponse(String modelName, String modelVersion, List<Output> outputs) {

    record Output(String name, long[] shape, double[] data) {

        /** Values per window: the tensor's size divided by the batch size (its first dimension). */
        int perWindow(int batch) {
            return batch == 0 ? 0 : data.length / batch;
        }
    }
}
