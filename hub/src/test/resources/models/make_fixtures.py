"""Writes the model server's test fixtures: threshold/<version>/model.onnx and echo/1/model.onnx.

The same interface as ml/models/vibration-anomaly (input window FLOAT [-1,5]; outputs label INT64 [-1] and
probabilities FLOAT [-1,2]), with outputs easy to check by hand: s = sum of a window's five values,
p = sigmoid(s - threshold), label = s > threshold, probabilities = [1 - p, p]. Version 1 has threshold 10,
version 2 threshold 20, so one window tells the versions apart.

echo returns its inputs (reals FP64, counts INT32, flags BOOL, each [-1]) as reals_out, counts_out, flags_out:
the datatypes the threshold model does not use, both ways.

half (an FP16 tensor) and sequence (a sequence of tensors, as sklearn-onnx's ZipMap gives) are models the server
refuses to load.

ir_version 8 and opset 17: what ONNX Runtime 1.20 (the hub's) loads.
Run from the repository root with the ml/ virtualenv (it has onnx): ml/.venv/bin/python hub/src/test/resources/models/make_fixtures.py
"""
import pathlib

import onnx
from onnx import TensorProto, helper

HERE = pathlib.Path(__file__).parent


def threshold_model(threshold: float) -> onnx.ModelProto:
    nodes = [
        helper.make_node("ReduceSum", ["window", "axes"], ["sum"], keepdims=0),
        helper.make_node("Sub", ["sum", "threshold"], ["margin"]),
        helper.make_node("Sigmoid", ["margin"], ["p"]),
        helper.make_node("Sub", ["one", "p"], ["q"]),
        helper.make_node("Unsqueeze", ["q", "axes"], ["q_column"]),
        helper.make_node("Unsqueeze", ["p", "axes"], ["p_column"]),
        helper.make_node("Concat", ["q_column", "p_column"], ["probabilities"], axis=1),
        helper.make_node("Greater", ["sum", "threshold"], ["above"]),
        helper.make_node("Cast", ["above"], ["label"], to=TensorProto.INT64),
    ]
    constants = [
        helper.make_tensor("axes", TensorProto.INT64, [1], [1]),
        helper.make_tensor("threshold", TensorProto.FLOAT, [], [threshold]),
        helper.make_tensor("one", TensorProto.FLOAT, [], [1.0]),
    ]
    graph = helper.make_graph(
        nodes, "threshold",
        [helper.make_tensor_value_info("window", TensorProto.FLOAT, ["batch", 5])],
        # outputs in this order on purpose: label first, as the real model declares them
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["batch"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 2])],
        initializer=constants)
    return finish(graph)


def echo_model() -> onnx.ModelProto:
    tensors = (("reals", TensorProto.DOUBLE), ("counts", TensorProto.INT32), ("flags", TensorProto.BOOL))
    graph = helper.make_graph(
        [helper.make_node("Identity", [name], [name + "_out"]) for name, _ in tensors], "echo",
        [helper.make_tensor_value_info(name, type_, ["n"]) for name, type_ in tensors],
        [helper.make_tensor_value_info(name + "_out", type_, ["n"]) for name, type_ in tensors])
    return finish(graph)


def half_model() -> onnx.ModelProto:
    return finish(helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])], "half",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT16, ["n"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT16, ["n"])]))


def sequence_model() -> onnx.ModelProto:
    return finish(helper.make_graph(
        [helper.make_node("SequenceConstruct", ["x"], ["y"])], "sequence",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
        [helper.make_tensor_sequence_value_info("y", TensorProto.FLOAT, ["n"])]))


def finish(graph: onnx.GraphProto) -> onnx.ModelProto:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="make_fixtures.py")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def save(model: onnx.ModelProto, name: str, version: int) -> None:
    target = HERE / name / str(version) / "model.onnx"
    target.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, target)
    print(target)


save(threshold_model(10.0), "threshold", 1)
save(threshold_model(20.0), "threshold", 2)
save(echo_model(), "echo", 1)
save(half_model(), "half", 1)
save(sequence_model(), "sequence", 1)
