package io.factoryhub.hub.inference;

import java.util.Arrays;

/**
 * A model's input or output as its metadata describes it.
 *
 * @param shape dimensions, -1 for a variable one (the batch, usually)
 */
record TensorSpec(String name, Datatype datatype, long[] shape) {

    static final long VARIABLE = -1;

    String shapeText() {
        return Arrays.toString(shape);
    }
}
