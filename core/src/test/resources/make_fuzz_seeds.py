"""Writes the seed corpus of the reader fuzz tests, independently of grad4j (Python + numpy).

The files go where Jazzer's JUnit integration looks for them (<package>/<TestClass>Inputs/<method>/):
every build replays them, and `-Pfuzz` mutates them. Hand-written regression inputs for bugs the
fuzzer found (regression-*) live in the same folders and are not touched by this script.

safetensors: u64 little-endian header length, JSON header padded with spaces to 8 bytes, data.
IDX: magic 0x00 0x00 0x08 ndims, big-endian int32 sizes, unsigned bytes.
Run from this directory: python3 make_fuzz_seeds.py
"""
import gzip
import json
import os
import struct

import numpy as np

ST = ["org/grad4j/io/SafeTensorsFuzzTestInputs/" + m for m in ("deserialize", "readFile")]
IDX_BYTES = "org/grad4j/data/IdxFuzzTestInputs/read"
IDX_FILE = "org/grad4j/data/IdxFuzzTestInputs/readFile"


def write(dirs, name, data):
    for d in dirs:
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def safetensors(name, tensors, metadata=None, pad=True):
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for key, arr in tensors.items():
        if isinstance(arr, tuple):  # (code, shape, raw bytes): dtypes numpy lacks, e.g. BF16
            dtype, shape, data = arr
        else:
            dtype = {np.float32: "F32", np.float64: "F64", np.int64: "I64", np.int32: "I32", np.uint8: "U8",
                     np.int8: "I8", np.int16: "I16", np.bool_: "BOOL", np.float16: "F16"}[arr.dtype.type]
            shape, data = list(arr.shape), arr.astype(arr.dtype.newbyteorder("<")).tobytes()
        header[key] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    if pad:
        h += b" " * (-len(h) % 8)
    write(ST, name, struct.pack("<Q", len(h)) + h + b"".join(blobs))


def idx(dirs, name, arr, gz=False):
    raw = struct.pack(">BBBB", 0, 0, 8, arr.ndim) + b"".join(struct.pack(">I", d) for d in arr.shape)
    raw += arr.astype(np.uint8).tobytes()
    write(dirs, name, gzip.compress(raw, mtime=0) if gz else raw)


safetensors("mixed.safetensors", {
    "weight": np.arange(6, dtype=np.float32).reshape(2, 3) / 4,
    "steps": np.array([-1, 2**40], dtype=np.int64),
    "mask": np.array([True, False, True]),
    "half": np.array([1.0, -2.5, 65504.0], dtype=np.float16),
}, {"format": "pt", "note": "seed"})
safetensors("scalar.safetensors", {"lr": np.array(0.125, dtype=np.float64)})
safetensors("empty.safetensors", {"e": np.zeros((0, 3), dtype=np.float32), "b": np.array([255, 0, 7], dtype=np.uint8)})
safetensors("ints.safetensors", {"i32": np.array([[1, -2], [3, 2**31 - 1]], dtype=np.int32),
                                 "i16": np.array([-3, 7], dtype=np.int16), "i8": np.array([-128, 127], dtype=np.int8)},
            {"k": "v \u00e9\\\"\n"})
bf16 = np.array([1.0, -0.5, np.inf], dtype=np.float32).view(np.uint32) >> 16
safetensors("bf16-unpadded.safetensors", {"b": ("BF16", [3], bf16.astype("<u2").tobytes())}, pad=False)
safetensors("metadata-only.safetensors", {}, {"format": "pt"})



# Forged files the reader must reject with its format exception, and one edge case it accepts
# (0 x 2^31-1 x 2^31-1: no elements, as in PyTorch); seeds near the edges.
def raw_st(name, header, data=b"", length=None):
    h = header.encode()
    write(ST, name, struct.pack("<Q", len(h) if length is None else length) + h + data)


raw_st("forged-length-huge.safetensors", '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', b"x", 2**63 + 5)
raw_st("forged-length-past-end.safetensors", '{}', length=4096)
raw_st("forged-shape-2pow62.safetensors", '{"a":{"dtype":"F64","shape":[2147483647,2147483647],"data_offsets":[0,8]}}', b"\0" * 8)
raw_st("forged-offsets-past-end.safetensors", '{"a":{"dtype":"F32","shape":[1000000],"data_offsets":[0,4000000]}}', b"\0" * 4)
raw_st("forged-overlap.safetensors", '{"a":{"dtype":"I32","shape":[1],"data_offsets":[0,4]},'
       '"b":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}', b"\0" * 4)
raw_st("forged-duplicate-key.safetensors", '{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},'
       '"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', b"\1")
raw_st("forged-bool-2.safetensors", '{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', b"\1\2")
raw_st("forged-deep-json.safetensors", '{"__metadata__":' + "[" * 100 + "]" * 100 + "}")
raw_st("forged-f8.safetensors", '{"q":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', b"\0")
# crafted headers that once cost 10-17x their size as a boxed JSON tree; a shape over PyTorch's 128 dims
raw_st("forged-metadata-empty-arrays.safetensors", '{"__metadata__":{"a":[' + ",".join(["[]"] * 1000) + ']}}')
raw_st("forged-too-many-dims.safetensors", '{"a":{"dtype":"U8","shape":[' + ",".join(["1"] * 129) + '],"data_offsets":[0,1]}}', b"\1")
# a name with an unpaired surrogate escape: valid JSON, read as it is (grad4j refuses to save such a name)
raw_st("edge-unpaired-surrogate-name.safetensors", '{"w\\ud800":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}', b"\1")
raw_st("edge-zero-dim-huge.safetensors", '{"z":{"dtype":"F32","shape":[0,2147483647,2147483647],"data_offsets":[0,0]}}')

idx([IDX_BYTES, IDX_FILE], "images-idx3-ubyte", (np.arange(2 * 4 * 4) * 13 % 256).reshape(2, 4, 4))
idx([IDX_BYTES], "labels-idx1-ubyte", np.array([3, 1, 4, 1, 5]))
idx([IDX_BYTES], "empty-idx3-ubyte", np.zeros((0, 28, 28)))
idx([IDX_BYTES], "four-dims-idx4-ubyte", np.arange(8).reshape(2, 1, 2, 2))
idx([IDX_FILE], "labels-idx1-ubyte.gz", np.array([3, 1, 4, 1, 5]), gz=True)
# forged: sizes announcing 2^62 bytes, and a small gzip whose header announces 60000x28x28 images
write([IDX_BYTES], "forged-sizes-idx2-ubyte", bytes([0, 0, 8, 2]) + struct.pack(">II", 2**31 - 1, 2**31 - 1) + b"\0")
write([IDX_FILE], "forged-sizes-idx3-ubyte.gz",
      gzip.compress(bytes([0, 0, 8, 3]) + struct.pack(">III", 60000, 28, 28) + b"\0" * 100, mtime=0))
