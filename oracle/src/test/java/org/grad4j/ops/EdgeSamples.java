package org.grad4j.ops;

import org.grad4j.storage.DType;
import org.grad4j.Grad4j;
import org.grad4j.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The edge variants of a table sample: the same shapes and layouts (transposed, strided, empty, 0-d) as
 * the row's own samples, with the random values replaced by edge values, and index arguments replaced by
 * negative or out-of-range ones.
 */
final class EdgeSamples {
    private EdgeSamples() {}

    /** Finite edge values: signed zeros, +-1, tiny and subnormal, and a few plain values; every derivative is defined. */
    static final double[] EDGE64 = {0.0, -0.0, 1, -1, 1e-300, 4.9e-324, 0.5, -2, 3, -1e-300};
    static final double[] EDGE32 = {0.0, -0.0, 1, -1, 1e-38, 1.401298464324817e-45, 0.5, -2, 3, -1e-38};
    /** Non-finite and huge values among plain ones: +-inf, NaN, the largest finite values. */
    static final double[] NONFINITE64 = {Double.POSITIVE_INFINITY, 1, Double.NaN, -2, Double.NEGATIVE_INFINITY, 0.5, 1e300, -1e300, 0.0};
    static final double[] NONFINITE32 = {Double.POSITIVE_INFINITY, 1, Double.NaN, -2, Double.NEGATIVE_INFINITY, 0.5, 3e38, -3e38, 0.0};
    /** Integer edges: 0, +-1, the extremes (overflow, abs and negation of the minimum). */
    static final double[] INT64_EDGE = {0, -1, 1, 7, -7, Long.MAX_VALUE, Long.MIN_VALUE, 3};
    static final double[] INT32_EDGE = {0, -1, 1, 7, -7, Integer.MAX_VALUE, Integer.MIN_VALUE, 3};
    /** Ties and signed zeros without non-finite values: where max, median, sort and abs choose a gradient. */
    static final double[] TIES = {1, -1, 0.0, -0.0, 2, 1, 2, -1, 0.0};

    /** A variant of a sample: its name and how values of random float arguments are chosen. */
    record Variant(String name, double[] values, long indexValue) {}

    static List<Variant> variants(Samples.Sample s, DType dt, boolean indexVariants) {
        List<Variant> out = new ArrayList<>();
        out.add(new Variant("random", null, 0));
        boolean hasRandom = false;
        for (Samples.Arg a : s.args()) {
            if (!a.isFixed()) hasRandom = true;
        }
        if (dt.isFloatingPoint() && hasRandom) {
            out.add(new Variant("edge", dt == DType.FLOAT32 ? EDGE32 : EDGE64, 0));
            out.add(new Variant("ties", TIES, 0));
            out.add(new Variant("nonfinite", dt == DType.FLOAT32 ? NONFINITE32 : NONFINITE64, 0));
            out.add(new Variant("expanded", null, 0));
        }
        if ((dt == DType.INT64 || dt == DType.INT32) && hasRandom) {
            out.add(new Variant("int-edge", dt == DType.INT64 ? INT64_EDGE : INT32_EDGE, 0));
        }
        if (indexVariants && dt == DType.FLOAT64) {
            out.add(new Variant("index-1", null, -1));
            out.add(new Variant("index-oob", null, 1000));
        }
        return out;
    }

    /**
     * The sample's inputs for a variant: random ones as Samples.make makes them; edge ones with the
     * values cycled through the list (each argument starting further on, so pairs mix); index ones with
     * every int64 fixed argument's elements replaced.
     */
    static Tensor[] make(Samples.Sample s, DType dt, double lo, double hi, long seed, Variant v) {
        Tensor[] in = Samples.make(s, dt, lo, hi, seed);
        for (int i = 0; i < in.length; i++) {
            Samples.Arg a = s.args()[i];
            if (a.isFixed()) {
                // fresh copies: suppliers may hand out shared constants, which in-place ops or requiresGrad_ would change
                Tensor f = in[i].detach().clone();
                if (v.name().startsWith("index") && f.dtype() == DType.INT64 && f.numel() > 0) {
                    f = Grad4j.fullLike(f, v.indexValue());
                }
                in[i] = f;
                continue;
            }
            if (v.name().equals("expanded") && in[i].dim() >= 1 && in[i].size(-1) > 1) {
                // an expanded (stride-0) view: the first column repeated along the last dim
                in[i] = in[i].narrow(-1, 0, 1).expand(in[i].shape());
                continue;
            }
            if (v.values() == null) continue;
            in[i] = dt.isFloatingPoint() ? withValues(a, dt, v.values(), i * 3) : withLongs(a, dt, v.values(), i * 3);
        }
        return in;
    }

    /** A tensor of the argument's shape and memory layout (transposed, strided) holding list values. */
    static Tensor withValues(Samples.Arg a, DType dt, double[] list, int start) {
        int[] shape = a.shape().clone();
        int r = shape.length;
        if (a.layout() == Samples.Layout.T && r >= 2) { int tmp = shape[r - 1]; shape[r - 1] = shape[r - 2]; shape[r - 2] = tmp; }
        if (a.layout() == Samples.Layout.STEP && r >= 1) shape[r - 1] *= 2;
        int n = 1;
        for (int d : shape) n *= d;
        double[] vals = new double[n];
        for (int k = 0; k < n; k++) vals[k] = list[(start + k) % list.length];
        Tensor v = Grad4j.fromArray(vals, shape).to(dt);
        if (a.layout() == Samples.Layout.T && r >= 2) v = v.transpose(-1, -2);
        if (a.layout() == Samples.Layout.STEP && r >= 1) v = v.slice(-1, 0, shape[r - 1], 2);
        return v;
    }

    /** Like withValues for integer dtypes: exact longs (a double cannot carry Long.MAX_VALUE through a cast). */
    static Tensor withLongs(Samples.Arg a, DType dt, double[] list, int start) {
        int[] shape = a.shape().clone();
        int r = shape.length;
        if (a.layout() == Samples.Layout.T && r >= 2) { int tmp = shape[r - 1]; shape[r - 1] = shape[r - 2]; shape[r - 2] = tmp; }
        if (a.layout() == Samples.Layout.STEP && r >= 1) shape[r - 1] *= 2;
        int n = 1;
        for (int d : shape) n *= d;
        long[] vals = new long[n];
        for (int k = 0; k < n; k++) {
            double v = list[(start + k) % list.length];
            vals[k] = v == (double) Long.MAX_VALUE ? Long.MAX_VALUE : v == (double) Long.MIN_VALUE ? Long.MIN_VALUE : (long) v;
        }
        Tensor t = Grad4j.fromArray(vals, shape).to(dt);
        if (a.layout() == Samples.Layout.T && r >= 2) t = t.transpose(-1, -2);
        if (a.layout() == Samples.Layout.STEP && r >= 1) t = t.slice(-1, 0, shape[r - 1], 2);
        return t;
    }
}
