"""Moves the largest initializer of an ONNX model (the word-embedding matrix) into an external data
file beside it, ONNX's own format for big weights (onnx.proto TensorProto.external_data), which
onnxruntime reads from the model's folder. Every byte of every weight is kept: only where the
embedding matrix is stored changes, so each file of the shipped model stays under 40 MB.

    python model/convert/externalise_embeddings.py model/multilingual-e5-small/model.onnx

Needs the `onnx` package (offline step; the app does not use Python).
"""
import os
import sys

import onnx
from onnx.external_data_helper import set_external_data

EXTERNAL_FILE = "model.onnx.embeddings"


def main(path: str) -> None:
    model = onnx.load(path)
    largest = max(model.graph.initializer, key=lambda t: len(t.raw_data))
    data = largest.raw_data
    with open(os.path.join(os.path.dirname(path), EXTERNAL_FILE), "wb") as f:
        f.write(data)
    set_external_data(largest, location=EXTERNAL_FILE, offset=0, length=len(data))
    largest.data_location = onnx.TensorProto.EXTERNAL
    largest.ClearField("raw_data")
    onnx.save_model(model, path)
    print(f"{largest.name} {list(largest.dims)}: {len(data)} bytes -> {EXTERNAL_FILE}; {path}: {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
