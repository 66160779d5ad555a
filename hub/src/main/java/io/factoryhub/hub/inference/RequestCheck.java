package io.factoryhub.hub.inference;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A request against the model's metadata, before anything runs: each mismatch is a 400 that names the tensor and
 * what the model expects, rather than ONNX Runtime's message from deep inside the graph.
 */
final class RequestCheck {

    private RequestCheck() {
    }

    /** Every input the model takes, once, of its datatype, rank and fixed dimensions. */
    static void inputs(LoadedModel model, List<InferRequest.Input> inputs) throws OipException {
        Set<String> given = new HashSet<>();
        for (InferRequest.Input input : inputs) {
            TensorSpec spec = model.inputs().stream().filter(s -> s.name().equals(input.name())).findFirst()
                    .orElseThrow(() -> OipException.badRequest("unknown input '" + input.name() + "': model '"
                            + model.name() + "' takes " + names(model.inputs())));
            if (!given.add(input.name())) {
                throw OipException.badRequest("input '" + input.name() + "' is given twice");
            }
            if (input.datatype() != spec.datatype()) {
                throw OipException.badRequest("input '" + input.name() + "' is " + spec.datatype() + ", not "
                        + input.datatype());
            }
            shape(spec, input.shape());
        }
        for (TensorSpec spec : model.inputs()) {
            if (!given.contains(spec.name())) {
                throw OipException.badRequest("missing input '" + spec.name() + "' (" + spec.datatype() + " "
                        + spec.shapeText() + ")");
            }
        }
    }

    private static void shape(TensorSpec spec, long[] shape) throws OipException {
        String expected = "input '" + spec.name() + "' has shape " + spec.shapeText() + " (-1: any size), not "
                + java.util.Arrays.toString(shape);
        if (shape.length != spec.shape().length) {
            throw OipException.badRequest(expected);
        }
        for (int i = 0; i < shape.length; i++) {
            if (spec.shape()[i] != TensorSpec.VARIABLE && spec.shape()[i] != shape[i]) {
                throw OipException.badRequest(expected);
            }
        }
    }

    /** The outputs to return: those asked for, in that order, else all in the model's order. */
    static List<String> outputs(LoadedModel model, List<String> requested) throws OipException {
        if (requested.isEmpty()) {
            return model.outputs().stream().map(TensorSpec::name).toList();
        }
        Set<String> known = model.outputs().stream().map(TensorSpec::name).collect(Collectors.toSet());
        for (String name : requested) {
            if (!known.contains(name)) {
                throw OipException.badRequest("unknown output '" + name + "': model '" + model.name() + "' returns "
                        + names(model.outputs()));
            }
        }
        if (new HashSet<>(requested).size() != requested.size()) {
            throw OipException.badRequest("an output is asked for twice: " + requested);
        }
        return requested;
    }

    private static String names(List<TensorSpec> specs) {
        return specs.stream().map(TensorSpec::name).collect(Collectors.joining(", "));
    }
}
