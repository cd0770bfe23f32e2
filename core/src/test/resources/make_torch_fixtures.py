#!/usr/bin/env python3
"""Hand-made torch.save files for TorchFilesTest, written with the standard library only.

torch.save(obj, f) pickles obj with protocol 2 through a Pickler whose persistent_id turns each
storage into ('storage', torch.<Type>Storage, key, 'cpu', numel) and stores the storage's bytes as
archive/data/<key> in an uncompressed zip beside archive/data.pkl, archive/byteorder and
archive/version. Tensors reduce to torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
requires_grad, OrderedDict()); a state dict is an OrderedDict whose _metadata attribute comes back
through BUILD. Stand-in modules named torch and torch._utils make Python's own pickler write the
same GLOBAL opcodes, so these files are what Python writes, not an imitation of the opcodes.
libtorch (C++) does not write OrderedDicts, _metadata, parameters or big-endian files; the
generator in bench/ (TorchFixtures) writes the libtorch ones and checks that libtorch reads these.

Run from the repository root: python3 core/src/test/resources/make_torch_fixtures.py (it also
copies every fixture, libtorch's included, into TorchFilesFuzzTest's seed folders).
"""
import collections
import io
import os
import pickle
import struct
import sys
import types
import zipfile

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "org", "grad4j", "io", "torch")

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
builtins_mod = sys.modules["builtins"]
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def _fn(module, name):
    def f(*args):
        raise RuntimeError("stand-in only")
    f.__module__ = module.__name__
    f.__name__ = f.__qualname__ = name
    setattr(module, name, f)
    return f


rebuild_tensor_v2 = _fn(torch_utils, "_rebuild_tensor_v2")
rebuild_parameter = _fn(torch_utils, "_rebuild_parameter")

# storage type -> (struct format char, item size)
STORAGES = {
    "FloatStorage": "f", "DoubleStorage": "d", "HalfStorage": "e", "BFloat16Storage": None,
    "LongStorage": "q", "IntStorage": "i", "ShortStorage": "h", "CharStorage": "b",
    "ByteStorage": "B", "BoolStorage": "?",
}
for _name in STORAGES:
    setattr(torch, _name, type(_name, (), {"__module__": "torch"}))


class Storage:
    def __init__(self, kind, values):
        self.kind, self.values = kind, list(values)

    def to_bytes(self, order):
        fmt = STORAGES[self.kind]
        if fmt is None:  # bfloat16: the upper half of the float32 bits
            return b"".join(struct.pack(order + "I", struct.unpack("<I", struct.pack("<f", v))[0])[
                            (0 if order == ">" else 2):(2 if order == ">" else 4)] for v in self.values)
        return struct.pack(order + str(len(self.values)) + fmt, *self.values)


class Tensor:
    def __init__(self, storage, offset, size, stride, requires_grad=False):
        self.args = (storage, offset, tuple(size), tuple(stride), requires_grad, collections.OrderedDict())

    def __reduce_ex__(self, proto):
        return (rebuild_tensor_v2, self.args)


class Parameter:
    def __init__(self, tensor, requires_grad=True):
        self.tensor, self.requires_grad = tensor, requires_grad

    def __reduce_ex__(self, proto):
        return (rebuild_parameter, (self.tensor, self.requires_grad, collections.OrderedDict()))


def contiguous(kind, values, size):
    stride, acc = [], 1
    for s in reversed(size):
        stride.insert(0, acc)
        acc *= s
    return Tensor(Storage(kind, values), 0, size, stride)


def save(name, obj, byteorder="little", prefix="archive", pickle_bytes=None):
    storages = {}

    class Pickler(pickle.Pickler):
        def persistent_id(self, o):
            if isinstance(o, Storage):
                key = storages.setdefault(id(o), (str(len(storages)), o))[0]
                return ("storage", getattr(torch, o.kind), key, "cpu", len(o.values))
            return None

    buf = io.BytesIO()
    if pickle_bytes is None:
        Pickler(buf, protocol=2).dump(obj)
        pickle_bytes = buf.getvalue()
    order = "<" if byteorder == "little" else ">"
    os.makedirs(OUT, exist_ok=True)
    with zipfile.ZipFile(os.path.join(OUT, name), "w", zipfile.ZIP_STORED) as z:
        def put(record, data):  # fixed timestamps: the same bytes on every run
            z.writestr(zipfile.ZipInfo(prefix + "/" + record, date_time=(1980, 1, 1, 0, 0, 0)), data)
        put("data.pkl", pickle_bytes)
        put("byteorder", byteorder)
        for key, st in storages.values():
            put("data/" + key, st.to_bytes(order))
        put("version", "3\n")
        put(".data/serialization_id", "1234567890\n")


def state_dict():
    """What torch.save(nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2)).state_dict()) writes."""
    sd = collections.OrderedDict()
    sd["0.weight"] = contiguous("FloatStorage", [0.5, -1.25, 2.0, 3.5, -0.75, 1e-3], [2, 3])
    sd["0.bias"] = contiguous("FloatStorage", [0.1, -0.2], [2])
    sd["1.weight"] = contiguous("FloatStorage", [1.0, 1.0], [2])
    sd["1.bias"] = contiguous("FloatStorage", [0.0, 0.0], [2])
    sd["1.running_mean"] = contiguous("FloatStorage", [0.25, -0.5], [2])
    sd["1.running_var"] = contiguous("FloatStorage", [1.5, 0.75], [2])
    sd["1.num_batches_tracked"] = Tensor(Storage("LongStorage", [7]), 0, [], [])
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("0", {"version": 1}), ("1", {"version": 2})])
    return sd


def main():
    save("state_dict.pt", state_dict())
    # Hugging Face's pytorch_model.bin: the same format; the zip's folder is named after the file.
    save("pytorch_model.bin", state_dict(), prefix="pytorch_model")
    save("state_dict_big_endian.pt", state_dict(), byteorder="big")

    # Plain dicts (torch.save({...})): libtorch's pickle_load reads these; it turns every
    # OrderedDict into None (it expects one only as a tensor's backward hooks).
    dtypes = {}
    dtypes["f64"] = contiguous("DoubleStorage", [1.5, -2.25, 1e300], [3])
    dtypes["f32"] = contiguous("FloatStorage", [1.5, -2.25, 3e38], [3])
    dtypes["f16"] = contiguous("HalfStorage", [1.5, -2.25, 65504.0], [3])
    dtypes["bf16"] = contiguous("BFloat16Storage", [1.5, -2.25, 3.0e38], [3])
    dtypes["i64"] = contiguous("LongStorage", [1, -2, 2 ** 62], [3])
    dtypes["i32"] = contiguous("IntStorage", [1, -2, 2 ** 30], [3])
    dtypes["i16"] = contiguous("ShortStorage", [1, -2, 2 ** 14], [3])
    dtypes["i8"] = contiguous("CharStorage", [1, -2, 127], [3])
    dtypes["u8"] = contiguous("ByteStorage", [1, 2, 255], [3])
    dtypes["bool"] = contiguous("BoolStorage", [True, False, True], [3])
    save("dtypes.pt", dtypes)
    save("dtypes_big_endian.pt", dtypes, byteorder="big")

    # Views: one storage of 12 floats shared by a [3, 4] tensor, its transpose and an offset column.
    st = Storage("FloatStorage", [float(i) for i in range(12)])
    views = {}
    views["a"] = Tensor(st, 0, [3, 4], [4, 1])
    views["a_t"] = Tensor(st, 0, [4, 3], [1, 4])
    views["col2"] = Tensor(st, 2, [3], [4])
    views["expanded"] = Tensor(st, 5, [2, 3], [0, 1])
    save("views.pt", views)

    params = collections.OrderedDict()
    params["w"] = Parameter(contiguous("FloatStorage", [1.0, 2.0], [2]))
    save("parameters.pt", params)

    # A training checkpoint as the PyTorch tutorials save it: nested dicts, lists, numbers, strings.
    checkpoint = {
        "epoch": 3,
        "model_state_dict": state_dict(),
        "optimizer_state_dict": {
            "state": {0: {"momentum_buffer": contiguous("FloatStorage", [0.0] * 6, [2, 3])}},
            "param_groups": [{"lr": 0.01, "momentum": 0.9, "nesterov": False, "params": [0, 1], "name": None}],
        },
        "loss": 0.125,
        "note": "héllo",
        "pair": (1, b"raw"),
    }
    save("checkpoint.pt", checkpoint)

    # Not allowed: what a malicious file does to run code on torch.load (weights_only=False).
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))
    save("evil_os_system.pt", None, pickle_bytes=pickle.dumps(Evil(), protocol=2))
    save("evil_eval.pt", None, pickle_bytes=pickle.dumps({"x": _EvalCall()}, protocol=2))


class _EvalCall:
    def __reduce__(self):
        return (builtins_mod.eval, ("__import__('os').system('echo pwned')",))


def fuzz_seeds():
    """Every fixture (Python's and libtorch's) seeds TorchFilesFuzzTest: the file, and its data.pkl alone."""
    seeds = os.path.join(os.path.dirname(OUT), "TorchFilesFuzzTestInputs")
    for method in ("readFile", "unpickle"):
        os.makedirs(os.path.join(seeds, method), exist_ok=True)
    for name in sorted(os.listdir(OUT)):
        with open(os.path.join(OUT, name), "rb") as f:
            data = f.read()
        with open(os.path.join(seeds, "readFile", name), "wb") as f:
            f.write(data)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            pkl = next(n for n in z.namelist() if n.endswith("/data.pkl"))
            with open(os.path.join(seeds, "unpickle", name + ".pkl"), "wb") as f:
                f.write(z.read(pkl))


if __name__ == "__main__":
    main()
    fuzz_seeds()
