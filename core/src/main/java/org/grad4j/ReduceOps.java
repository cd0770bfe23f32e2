package org.grad4j;

import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.ReduceKernels.Kind;
import org.grad4j.storage.Shapes;

import java.util.Arrays;

/** Reductions: forward and gradient formulas. */
final class ReduceOps {
    private ReduceOps() {}

    /** Which dims a reduction covers; null or empty dims mean all (PyTorch's dim=None). */
    static boolean[] reduceMask(int rank, int[] dims, String op) {
        boolean[] m = new boolean[rank];
        if (dims == null || dims.length == 0) {
            Arrays.fill(m, true);
            return m;
        }
        for (int d : dims) {
            int w = Shapes.wrapDim(d, rank, op);
            if (rank == 0) continue;
            if (m[w]) throw new IllegalArgumentException(op + ": dim " + w + " appears multiple times in the list of dims");
            m[w] = true;
        }
        return m;
    }

    static int[] reducedShape(int[] shape, boolean[] mask, boolean keepdim) {
        int n = 0;
        for (int d = 0; d < shape.length; d++) if (!mask[d] || keepdim) n++;
        int[] out = new int[n];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (!mask[d]) out[j++] = shape[d];
            else if (keepdim) out[j++] = 1;
        }
        return out;
    }

    /** Forward of a reduction without autograd. */
    static Tensor reduceForward(Kind kind, Tensor a, boolean[] mask, boolean keepdim, DType outType) {
        int[] outShape = reducedShape(a.shape, mask, keepdim);
        Tensor out = Tensor.empty(outShape, outType);
        a.backend().reduce().reduce(kind, a.strided(), mask, out.storage);
        return out;
    }

    /** Reshapes a reduced gradient so it broadcasts against the input (re-inserts reduced dims). */
    static Tensor unsqueezeReduced(Tensor g, int[] inShape, boolean[] mask, boolean keepdim) {
        if (keepdim) return g;
        int[] ks = reducedShape(inShape, mask, true);
        return g.reshape(ks);
    }

    static Tensor sum(Tensor a, int[] dims, boolean keepdim) {
        boolean all = dims == null;
        boolean[] mask = reduceMask(a.shape.length, dims, "sum");
        DType outType = a.dtype.isFloatingPoint() ? a.dtype : DType.INT64;
        Tensor out = reduceForward(Kind.SUM, a, mask, keepdim, outType);
        if (Graph.needsGrad(a)) {
            int[] inShape = a.shape;
            Graph.record(out, all ? "SumBackward0" : "SumBackward1",
                    (g, n) -> new Tensor[]{unsqueezeReduced(g[0], inShape, mask, keepdim).expand(inShape)}, null, a);
        }
        return out;
    }

    static Tensor mean(Tensor a, int[] dims, boolean keepdim) {
        if (!a.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating "
                    + "point or complex dtype. Got: " + a.dtype + ". Fix: call .toFloat() first");
        }
        boolean all = dims == null;
        boolean[] mask = reduceMask(a.shape.length, dims, "mean");
        Tensor out = reduceForward(Kind.SUM, a, mask, keepdim, a.dtype);
        int count = 1;
        for (int d = 0; d < a.shape.length; d++) if (mask[d]) count *= a.shape[d];
        out.backend().reduce().scale(out.storage, 1.0 / count);
        if (Graph.needsGrad(a)) {
            int[] inShape = a.shape;
            int cnt = count;
            Graph.record(out, all ? "MeanBackward0" : "MeanBackward1",
                    (g, n) -> new Tensor[]{unsqueezeReduced(g[0], inShape, mask, keepdim).expand(inShape).div((double) cnt)}, null, a);
        }
        return out;
    }

    /** Sums a gradient of a broadcast shape down to {@code target}. */
    static Tensor sumTo(Tensor g, int[] target) {
        if (Arrays.equals(g.shape, target)) return g;
        int lead = g.shape.length - target.length;
        int[] dims = new int[g.shape.length];
        int k = 0;
        for (int d = 0; d < g.shape.length; d++) {
            if (d < lead || (target[d - lead] == 1 && g.shape[d] != 1)) dims[k++] = d;
        }
        Tensor r = g;
        if (k > 0) r = sum(g, Arrays.copyOf(dims, k), true);
        return r.reshape(target);
    }

    /** p-norm over dims (NormBackward0/1). Gradient at a zero norm is 0, as in PyTorch. */
    static Tensor norm(Tensor a, double p, int[] dims, boolean keepdim) {
        if (!a.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
                    + a.dtype + ". Fix: call .toFloat() first");
        }
        boolean all = dims == null;
        boolean[] mask = reduceMask(a.shape.length, dims, "norm");
        Tensor out;
        try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
            Tensor ab = a.abs();
            if (p == Double.POSITIVE_INFINITY) out = reduceForward(Kind.MAX, ab, mask, keepdim, a.dtype);
            else if (p == Double.NEGATIVE_INFINITY) out = reduceForward(Kind.MIN, ab, mask, keepdim, a.dtype);
            else if (p == 0) out = reduceForward(Kind.SUM, ab.ne(0.0).to(a.dtype), mask, keepdim, a.dtype);
            else if (p == 2) out = reduceForward(Kind.SUM, a.mul(a), mask, keepdim, a.dtype).sqrt();
            else if (p == 1) out = reduceForward(Kind.SUM, ab, mask, keepdim, a.dtype);
            else out = reduceForward(Kind.SUM, ab.pow(p), mask, keepdim, a.dtype).pow(1.0 / p);
        }
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            int[] inShape = a.shape;
            Graph.record(out, all ? "NormBackward0" : "NormBackward1", (g, n) -> {
                Tensor x = sa.unpack();
                Tensor nrm = unsqueezeReduced(so.unpack(), inShape, mask, keepdim);
                Tensor gg = unsqueezeReduced(g[0], inShape, mask, keepdim);
                Tensor r;
                if (p == 0) r = x.mul(0.0);
                else if (p == 1) r = x.sign().mul(gg);
                else if (p == 2) r = x.mul(gg.div(nrm).maskedFill(nrm.eq(0.0), 0.0));
                else if (Double.isInfinite(p)) {
                    // libtorch: the maxima and the NaNs share the gradient (times sign, 0 at NaN), so a NaN
                    // input gives zeros, not 0 * inf = NaN everywhere
                    Tensor hit = x.abs().eq(nrm).logicalOr(x.isnan()).to(x.dtype);
                    r = x.sign().mul(hit).mul(gg.div(hit.sum(allDims(mask), true)));
                } else {
                    Tensor s = x.sign().mul(x.abs().pow(p - 1));
                    r = s.mul(gg.div(nrm.pow(p - 1)).maskedFill(nrm.eq(0.0), 0.0));
                }
                return new Tensor[]{r};
            }, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    private static int[] allDims(boolean[] mask) {
        int k = 0;
        for (boolean b : mask) if (b) k++;
        int[] d = new int[k];
        for (int i = 0, j = 0; i < mask.length; i++) if (mask[i]) d[j++] = i;
        return d;
    }

    /** max()/min() of all elements; the gradient is shared evenly among tied maxima. */
    static Tensor maxMinAll(Tensor a, boolean max) {
        if (a.numel() == 0) {
            throw new IllegalArgumentException((max ? "max" : "min") + "(): Expected reduction dim to be specified for "
                    + "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }
        boolean[] mask = reduceMask(a.shape.length, null, "max");
        Tensor out = reduceForward(max ? Kind.MAX : Kind.MIN, a, mask, false, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            Graph.record(out, max ? "MaxBackward1" : "MinBackward1",
                    (g, n) -> new Tensor[]{evenlyDistribute(g[0], sa.unpack(), so.unpack())}, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    /**
     * PyTorch's evenly_distribute_backward for max() / min() / median() of all elements: the gradient
     * is shared by the elements equal to the result, and by the NaNs when the result is NaN (NaN never
     * equals itself; without this every gradient would be 0/0 = NaN).
     */
    static Tensor evenlyDistribute(Tensor g, Tensor input, Tensor value) {
        double v = value.detach().item();
        Tensor hit = (v != v ? input.isnan() : input.eq(value)).to(g.dtype);
        return hit.mul(g.div(hit.sum()));
    }

    static Tensor argMaxMin(Tensor a, Integer dim, boolean keepdim, boolean max) {
        boolean[] mask = reduceMask(a.shape.length, dim == null ? null : new int[]{dim}, max ? "argmax" : "argmin");
        if (dim == null) {
            Tensor flat = a.reshape(-1);
            return reduceForward(max ? Kind.ARGMAX : Kind.ARGMIN, flat, new boolean[]{true}, false, DType.INT64);
        }
        return reduceForward(max ? Kind.ARGMAX : Kind.ARGMIN, a, mask, keepdim, DType.INT64);
    }

    static Tensor allAny(Tensor a, boolean all) {
        boolean[] mask = reduceMask(a.shape.length, null, all ? "all" : "any");
        return reduceForward(all ? Kind.ALL : Kind.ANY, a, mask, false, DType.BOOL);
    }
}
