"""Trains the vibration anomaly model on the simulator's signal and exports it for the hub and for MLServer.

    ml/setup-venv.sh && ml/.venv/bin/python ml/train.py

Prints precision/recall/F1 on held-out machines next to the static alarm rule, checks that ONNX Runtime reproduces
scikit-learn's probabilities, then writes
  ml/models/vibration-anomaly/1/model.onnx          (Triton layout; the hub scores it with ONNX Runtime)
  ml/mlserver/vibration-anomaly/model.joblib        (the same forest, for MLServer's scikit-learn runtime)
  ml/mlserver/vibration-anomaly/model-settings.json
"""
import json
from pathlib import Path

import joblib
import numpy as np
import onnx
import onnxruntime
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import precision_recall_fscore_support

import generate
import tree_onnx

ML = Path(__file__).parent
ONNX_MODEL = ML / "models" / "vibration-anomaly" / "1" / "model.onnx"
MLSERVER_DIR = ML / "mlserver" / "vibration-anomaly"
MLSERVER_SETTINGS = {"name": "vibration-anomaly", "implementation": "mlserver_sklearn.SKLearnModel",
                     "parameters": {"uri": "./model.joblib", "version": "1"}}
# machines are split between training and test, so overlapping windows of one machine never leak into the test
TRAIN_MACHINES, TEST_MACHINES, SAMPLES_PER_MACHINE = 120, 40, 3000
TRAIN_SEED, TEST_SEED = 1, 2
MAX_PROBABILITY_DIFF = 1e-5


def scores(name, anomalous, predicted, kind):
    precision, recall, f1, _ = precision_recall_fscore_support(anomalous, predicted, average="binary", zero_division=0)
    spike_recall = predicted[kind == generate.SPIKE].mean()
    wear_recall = predicted[kind == generate.WEAR].mean()
    print(f"{name:<28} precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}"
          f"   (recall: spike {spike_recall:.3f}, wear {wear_recall:.3f})")


def onnx_probabilities(model, x):
    session = onnxruntime.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    label, probabilities = session.run(["label", "probabilities"], {"window": x})
    return label, probabilities


def main():
    signal = generate.load_signal()
    x_train, kind_train = generate.dataset(signal, TRAIN_MACHINES, SAMPLES_PER_MACHINE, TRAIN_SEED)
    x_test, kind_test = generate.dataset(signal, TEST_MACHINES, SAMPLES_PER_MACHINE, TEST_SEED)
    y_train, y_test = (kind_train != generate.NORMAL).astype(np.int64), (kind_test != generate.NORMAL).astype(np.int64)
    print(f"train {len(x_train)} windows ({y_train.mean():.1%} anomalous), test {len(x_test)} ({y_test.mean():.1%})")

    forest = RandomForestClassifier(n_estimators=25, max_depth=6, random_state=0, n_jobs=2)
    forest.fit(x_train, y_train)
    alarm_level = signal["vibration"]["alarmLevel"]
    scores("model", y_test, forest.predict(x_test), kind_test)
    scores(f"static rule (last > {alarm_level})", y_test, (x_test[:, -1] > alarm_level).astype(np.int64), kind_test)

    model = tree_onnx.tree_ensemble_classifier(forest)
    onnx.checker.check_model(model, full_check=True)
    label, probabilities = onnx_probabilities(model, x_test)
    diff = np.abs(probabilities - forest.predict_proba(x_test)).max()
    mismatched = int((label != forest.predict(x_test)).sum())
    print(f"ONNX Runtime vs scikit-learn: max probability difference {diff:.2e}, {mismatched} labels differ")
    if diff >= MAX_PROBABILITY_DIFF or mismatched:
        raise SystemExit("the ONNX model does not reproduce the forest; nothing written")

    ONNX_MODEL.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, ONNX_MODEL)
    MLSERVER_DIR.mkdir(parents=True, exist_ok=True)
    joblib.dump(forest, MLSERVER_DIR / "model.joblib", compress=3)
    (MLSERVER_DIR / "model-settings.json").write_text(json.dumps(MLSERVER_SETTINGS, indent=2) + "\n")
    for path in (ONNX_MODEL, MLSERVER_DIR / "model.joblib"):
        print(f"wrote {path.relative_to(ML.parent)} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
