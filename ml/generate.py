"""Labelled vibration windows for the anomaly model, from the simulator's own signal.

A port of plant/src/main/java/io/factoryhub/plant/sim/TagSignal.java and BearingWear.java (same algorithm, same
parameters: ml/signal.json), so a model trained here scores what `./factory-hub run` publishes. Change both alike.

A window is the last 5 (WINDOW) consecutive readings of one machine's vibration tag; it is anomalous when its last
reading is a spike or in bearing wear.

    ml/.venv/bin/python ml/generate.py --machines 100 --samples 3000 --seed 1 --out ml/data/windows.npz
"""
import argparse
import json
from pathlib import Path

import numpy as np

SIGNAL_JSON = Path(__file__).with_name("signal.json")
WINDOW = 5
# FaultKind.java
NORMAL, SPIKE, WEAR = 0, 1, 2


def load_signal(path=SIGNAL_JSON):
    with open(path) as f:
        return json.load(f)


class BearingWear:
    """Episodes of slow bearing wear: the baseline rises linearly to a maximum, holds, and maintenance ends it."""

    def __init__(self, wear):
        self.wear = wear
        self.wearing = False
        self.elevation = 0.0
        self.held = 0

    def advance(self, rng):
        """Moves one sample on; True when this sample is the maintenance that ends an episode."""
        w = self.wear
        if not self.wearing:
            self.wearing = rng.random() < w["startProbability"]
            if not self.wearing:
                return False
        if self.elevation < w["maxElevation"]:
            self.elevation = min(w["maxElevation"], self.elevation + w["risePerSample"])
        elif self.held < w["holdSamples"]:
            self.held += 1
        else:
            self.wearing, self.elevation, self.held = False, 0.0, 0
            return True
        return False

    def worn(self):
        return self.elevation >= self.wear["labelElevation"]


class VibrationSignal:
    """TagSignal for the vibration tag: random walk pulled back to the (worn) baseline, plus one-sample spikes."""

    def __init__(self, signal, rng):
        self.baseline = signal["baselines"]["vibration"]
        self.walk = signal["walk"]
        self.spike = signal["spike"]
        self.wear = BearingWear(signal["vibration"]["wear"])
        self.rng = rng
        self.value = self.baseline

    def next(self):
        """(value, fault kind) of the next sample; a spike is reported once and does not move the walk."""
        if self.wear.advance(self.rng):
            self.value = self.baseline  # a new bearing runs at the baseline straight away
        target = self.baseline * (1 + self.wear.elevation)
        self.value += (target - self.value) * self.walk["pullBack"] \
            + self.baseline * self.walk["step"] * self.rng.standard_normal()
        self.value = max(0.0, self.value)
        if self.rng.random() < self.spike["probability"]:
            return self.value * self.spike["factor"], SPIKE
        return self.value, WEAR if self.wear.worn() else NORMAL


def machine_samples(signal, rng, samples):
    """One machine's readings and their fault kinds."""
    vibration = VibrationSignal(signal, rng)
    drawn = [vibration.next() for _ in range(samples)]
    return np.array([v for v, _ in drawn]), np.array([k for _, k in drawn], dtype=np.int8)


def windows(values, kinds):
    """Every window of WINDOW consecutive readings as float32 [n, WINDOW], with the fault kind of its last reading."""
    x = np.lib.stride_tricks.sliding_window_view(values, WINDOW).astype(np.float32)
    return x, kinds[WINDOW - 1:]


def dataset(signal, machines, samples, seed):
    """Windows of `machines` independent machines, `samples` readings each: x [n, WINDOW] float32, kind [n]."""
    xs, kinds = [], []
    for rng in (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(machines)):
        x, kind = windows(*machine_samples(signal, rng, samples))
        xs.append(x)
        kinds.append(kind)
    return np.concatenate(xs), np.concatenate(kinds)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--machines", type=int, default=100)
    parser.add_argument("--samples", type=int, default=3000, help="readings per machine")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("data") / "windows.npz")
    args = parser.parse_args()
    x, kind = dataset(load_signal(), args.machines, args.samples, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, window=x, label=(kind != NORMAL).astype(np.int64), kind=kind)
    print(f"{len(x)} windows, {np.mean(kind == SPIKE):.2%} spike, {np.mean(kind == WEAR):.2%} wear -> {args.out}")


if __name__ == "__main__":
    main()
