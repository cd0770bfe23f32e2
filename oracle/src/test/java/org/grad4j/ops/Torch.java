package org.grad4j.ops;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.grad4j.storage.DType;

/**
 * The libtorch side's plumbing: copies grad4j tensors into libtorch and reads libtorch results back as
 * plain values, plus the short spellings the mappings use ({@code s(2.5)} for a Scalar, {@code l(1, 2)}
 * for an int list). Every libtorch object made here attaches to the caller's PointerScope.
 */
final class Torch {
    private Torch() {}

    /** A libtorch copy of a grad4j tensor: same dtype, shape and values (contiguous), no grad. */
    static Tensor of(org.grad4j.Tensor t) {
        long[] shape = longs(t.shape());
        Tensor out;
        if (t.isFloatingPoint()) {
            double[] v = t.toDoubleArray();
            try (DoublePointer p = new DoublePointer(Math.max(1, v.length))) {
                p.put(v, 0, v.length);
                out = torch.from_blob(p, shape, new TensorOptions(ScalarType.Double)).clone();
            }
        } else {
            long[] v = t.toLongArray();
            try (LongPointer p = new LongPointer(Math.max(1, v.length))) {
                p.put(v, 0, v.length);
                out = torch.from_blob(p, shape, new TensorOptions(ScalarType.Long)).clone();
            }
        }
        return out.to(type(t.dtype()));
    }

    static ScalarType type(DType d) {
        return switch (d) {
            case FLOAT32 -> ScalarType.Float;
            case FLOAT64 -> ScalarType.Double;
            case INT64 -> ScalarType.Long;
            case INT32 -> ScalarType.Int;
            case INT16 -> ScalarType.Short;
            case INT8 -> ScalarType.Char;
            case UINT8 -> ScalarType.Byte;
            case BOOL -> ScalarType.Bool;
        };
    }

    /** grad4j's name for a libtorch dtype, e.g. "torch.float32". */
    static String dtypeName(Tensor t) {
        ScalarType st = t.scalar_type(); // a JavaCPP enum made from native code: compare by value, not identity
        for (DType d : DType.values()) if (type(d).value == st.value) return d.torchName();
        return st.toString();
    }

    static long[] shape(Tensor t) {
        long[] s = new long[(int) t.dim()];
        for (int i = 0; i < s.length; i++) s[i] = t.size(i);
        return s;
    }

    /** All values in row-major order as doubles. */
    static double[] values(Tensor t) {
        int n = (int) t.numel();
        double[] out = new double[n];
        if (n == 0 || t._is_zerotensor()) return out; // autograd's efficient zeros have no data to read
        Tensor c = t.detach().to(ScalarType.Double).contiguous();
        c.data_ptr_double().get(out, 0, n);
        return out;
    }

    static long[] longs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i];
        return out;
    }

    // ------------------------------------------------------------------ spellings for the mappings

    static Scalar s(double v) { return new Scalar(v); }

    static Scalar s(long v) { return new Scalar(v); }

    static ScalarOptional so(double v) { return new ScalarOptional(new Scalar(v)); }

    static long[] l(long... v) { return v; }

    static TensorOptional opt(Tensor t) { return t == null ? new TensorOptional() : new TensorOptional(t); }

    static ScalarTypeOptional noType() { return new ScalarTypeOptional(); }

    /** A float64 tensor like {@code like} (dtype), from values and a shape. */
    static Tensor f64(double[] v, long... shape) {
        try (DoublePointer p = new DoublePointer(Math.max(1, v.length))) {
            p.put(v, 0, v.length);
            return torch.from_blob(p, shape, new TensorOptions(ScalarType.Double)).clone();
        }
    }

    static Tensor i64(long... v) {
        try (LongPointer p = new LongPointer(Math.max(1, v.length))) {
            p.put(v, 0, v.length);
            return torch.from_blob(p, new long[]{v.length}, new TensorOptions(ScalarType.Long)).clone();
        }
    }

    static Tensor bools(boolean... v) {
        long[] l = new long[v.length];
        for (int i = 0; i < v.length; i++) l[i] = v[i] ? 1 : 0;
        return i64(l).to(ScalarType.Bool);
    }
}
