"""Writes the seed corpus for the reader fuzz tests, independently of grad4j (Python + numpy).

safetensors: u64 little-endian header length, JSON header padded with spaces to 8 bytes, data.
IDX: magic 0x00000803 / 0x00000801 (big-endian), sizes, unsigned bytes.
Run from this directory: python3 make_seeds.py
"""
import gzip
import json
import struct

import numpy as np


def safetensors(path, tensors, metadata=None):
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, arr in tensors.items():
        dtype = {np.float32: "F32", np.float64: "F64", np.int64: "I64", np.int32: "I32",
                 np.uint8: "U8", np.int8: "I8", np.int16: "I16", np.bool_: "BOOL", np.float16: "F16"}[arr.dtype.type]
        data = arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def idx(path, arr, gz=False):
    head = struct.pack(">BBBB", 0, 0, 8, arr.ndim) + b"".join(struct.pack(">I", d) for d in arr.shape)
    raw = head + arr.astype(np.uint8).tobytes()
    with (gzip.open if gz else open)(path, "wb") as f:
        f.write(raw)


safetensors("safetensors/mixed.safetensors", {
    "weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
    "steps": np.array([-1, 2**40], dtype=np.int64),
    "mask": np.array([True, False, True]),
    "half": np.array([1.0, -2.5, 65504.0], dtype=np.float16),
}, {"format": "pt", "note": "seed"})
safetensors("safetensors/scalar.safetensors", {"lr": np.array(0.125, dtype=np.float64)})
safetensors("safetensors/empty.safetensors", {"e": np.zeros((0, 3), dtype=np.float32),
                                              "b": np.array([255, 0, 7], dtype=np.uint8)})
idx("idx/images-idx3-ubyte", (np.arange(2 * 4 * 4) * 13 % 256).reshape(2, 4, 4))
idx("idx/labels-idx1-ubyte.gz", np.array([3, 1, 4, 1, 5]), gz=True)
