#!/usr/bin/python3
"""Builds the example's two model files (run with the system python3, which has numpy):

    /usr/bin/python3 examples/dependency-lock/make_models.py

models/classifier.safetensors: weights only, no code possible.
models/untrusted.pkl: a pickle that would run a shell command when loaded (harmless here: it only echoes), the
kind of file dependency-lock refuses. Nothing here unpickles anything.
"""
import json
import os
import pickle
import struct

import numpy as np

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
os.makedirs(HERE, exist_ok=True)

weights = np.linspace(-1, 1, 12, dtype="<f4").reshape(3, 4)
bias = np.zeros(3, dtype="<f4")
header = {
    "__metadata__": {"format": "pt", "model": "churn-classifier"},
    "fc.weight": {"dtype": "F32", "shape": [3, 4], "data_offsets": [0, 48]},
    "fc.bias": {"dtype": "F32", "shape": [3], "data_offsets": [48, 60]},
}
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open(os.path.join(HERE, "classifier.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + weights.tobytes() + bias.tobytes())


class RunsACommand:
    def __reduce__(self):
        return os.system, ("echo this model file would have run a command",)


with open(os.path.join(HERE, "untrusted.pkl"), "wb") as f:
    f.write(pickle.dumps({"weights": weights.tolist(), "hook": RunsACommand()}, protocol=4))
print("wrote", sorted(os.listdir(HERE)))
