"""A fitted binary scikit-learn RandomForestClassifier as an ONNX ai.onnx.ml TreeEnsembleClassifier (skl2onnx is
not available here, and this is all the model needs).

Graph: input `window` FLOAT [batch, n_features]; outputs `label` INT64 [batch] and `probabilities` FLOAT
[batch, 2]. IR 8, opsets ai.onnx 17 and ai.onnx.ml 3: what ONNX Runtime 1.20 (the hub's) loads.
"""
import numpy as np
from onnx import TensorProto, helper

IR_VERSION = 8
OPSETS = [helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)]
LEAF = -1  # sklearn's children_left of a leaf


def float32_at_most(threshold):
    """The largest float32 <= threshold: sklearn tests float32(x) <= float64 threshold, ONNX compares in float32."""
    t = np.float32(threshold)
    return float(np.nextafter(t, np.float32(-np.inf)) if t > threshold else t)


def tree_ensemble_classifier(forest, input_name="window", label_name="label", proba_name="probabilities"):
    """The forest's predict_proba (mean of its trees' leaf class fractions) and predict as an ONNX model.

    Each leaf votes only the positive class's fraction, under class id 0: ONNX Runtime's binary case then outputs
    [1 - p, p] and labels p > 0.5 positive, as scikit-learn does. Votes for both classes would make it label every
    row with a positive score (nearly all) positive.
    """
    if len(forest.classes_) != 2:
        raise ValueError(f"a binary classifier is needed, got classes {forest.classes_}")
    n_trees = len(forest.estimators_)
    nodes = {k: [] for k in ("treeids", "nodeids", "featureids", "values", "modes", "truenodeids", "falsenodeids")}
    leaves = {k: [] for k in ("treeids", "nodeids", "ids", "weights")}
    for tree_id, estimator in enumerate(forest.estimators_):
        tree = estimator.tree_
        for node in range(tree.node_count):
            leaf = tree.children_left[node] == LEAF
            nodes["treeids"].append(tree_id)
            nodes["nodeids"].append(node)
            nodes["featureids"].append(0 if leaf else int(tree.feature[node]))
            nodes["values"].append(0.0 if leaf else float32_at_most(tree.threshold[node]))
            nodes["modes"].append("LEAF" if leaf else "BRANCH_LEQ")
            nodes["truenodeids"].append(0 if leaf else int(tree.children_left[node]))
            nodes["falsenodeids"].append(0 if leaf else int(tree.children_right[node]))
            if leaf:
                counts = tree.value[node, 0]
                leaves["treeids"].append(tree_id)
                leaves["nodeids"].append(node)
                leaves["ids"].append(0)
                leaves["weights"].append(float(counts[1] / counts.sum()) / n_trees)
    n_features = forest.n_features_in_
    node = helper.make_node(
        "TreeEnsembleClassifier", [input_name], [label_name, proba_name], domain="ai.onnx.ml",
        classlabels_int64s=[int(c) for c in forest.classes_], post_transform="NONE",
        **{f"nodes_{k}": v for k, v in nodes.items()},
        **{f"class_{k}": v for k, v in leaves.items()})
    graph = helper.make_graph(
        [node], "vibration-anomaly",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, ["batch", n_features])],
        [helper.make_tensor_value_info(label_name, TensorProto.INT64, ["batch"]),
         helper.make_tensor_value_info(proba_name, TensorProto.FLOAT, ["batch", len(forest.classes_)])])
    model = helper.make_model(graph, opset_imports=OPSETS, producer_name="factory-hub ml/tree_onnx.py")
    model.ir_version = IR_VERSION
    return model
