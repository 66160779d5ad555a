package io.factoryhub.hub.inference;

import java.util.List;

/**
 * An OIP v2 inference request as read, before it is checked against the model.
 *
 * @param id      echoed in the response; null when the request has none
 * @param outputs the outputs asked for, in that order; empty for all of the model's
 */
record InferRequest(String id, List<Input> inputs, List<String> outputs) {

    /** @param shape as the request gives it; the data has as many values as it says */
    record Input(String name, Datatype datatype, long[] shape, TensorValues values) {
    }
}
