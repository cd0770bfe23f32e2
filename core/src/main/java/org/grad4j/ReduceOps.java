package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.ReduceKernels.Kind;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

import java.util.Arrays;

/**
 * Reductions: sum, mean, norm, max/min and all/any of all elements; prod, amax/amin, max/min(dim),
 * var/std, logsumexp, softmax and all/any(dim). Forward and gradient formulas together.
 */
final class ReduceOps {
    private ReduceOps() {}

    // ------------------------------------------------------------------ sum, mean, norm, max/min/all/any of all

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
        Tensor out = Tensor.emptyLike(a, outShape, outType);
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

    // ------------------------------------------------------------------ prod, amax, max(dim), var, logsumexp, softmax

    static Tensor prod(Tensor a, Integer dim, boolean keepdim) {
        boolean all = dim == null;
        boolean[] mask = reduceMask(a.dim(), all ? null : new int[]{dim}, "prod");
        DType outType = a.dtype.isFloatingPoint() ? a.dtype : DType.INT64;
        Tensor out = reduceForward(Kind.PROD, a, mask, keepdim && !all, outType);
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            int[] in = a.shape;
            Graph.record(out, all ? "ProdBackward0" : "ProdBackward1", (g, n) -> {
                Tensor x = sa.unpack();
                if (x.numel() == 0) return new Tensor[]{g[0].mul(0.0).expand(in).contiguous()};
                // libtorch's prod_backward: a 0-d input passes the gradient (no inf / inf at x = inf), and
                // otherwise grad * (result / x), in that order
                if (x.dim() == 0) return new Tensor[]{g[0].mul(1.0)};
                Tensor gg = unsqueezeReduced(g[0], in, mask, keepdim && !all).expand(in);
                if (!x.eq(0.0).any().itemBool()) {
                    return new Tensor[]{gg.mul(unsqueezeReduced(so.unpack(), in, mask, keepdim && !all).div(x))};
                }
                // with zeros: the product of all the other elements, computed without dividing
                if (all) return new Tensor[]{gg.mul(exclusiveProd(x.reshape(-1), 0).reshape(in))};
                return new Tensor[]{gg.mul(exclusiveProd(x, Shapes.wrapDim(dim, in.length, "prod")))};
            }, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    /** For each i along dim: the product of the other elements along dim (differentiable, O(n^2)). */
    static Tensor exclusiveProd(Tensor x, int dim) {
        if (x.dim() == 0) return x.mul(0.0).add(1.0);
        Tensor m = ShapeOps.movedim(x, dim, -1);
        int n = m.size(-1);
        int[] sh = m.shape();
        int[] big = java.util.Arrays.copyOf(sh, sh.length + 1);
        big[sh.length - 1] = n;
        big[sh.length] = n;
        Tensor eye = Grad4j.eye(n).to(m.device(), DType.BOOL);
        Tensor rows = BinaryOps.where(eye, Tensor.wrapScalar(1.0), m.unsqueeze(-2).expand(big));
        Tensor r = prod(rows, -1, false);
        return ShapeOps.movedim(r, -1, dim);
    }

    /** amax/amin over dims (null: all); the gradient is shared evenly among tied extrema. */
    static Tensor amaxAmin(Tensor a, int[] dims, boolean keepdim, boolean max) {
        String op = max ? "amax" : "amin";
        boolean[] mask = reduceMask(a.dim(), dims, op);
        checkNonEmpty(a, mask, op);
        Tensor out = reduceForward(max ? Kind.MAX : Kind.MIN, a, mask, keepdim, a.dtype);
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            int[] in = a.shape;
            Graph.record(out, max ? "AmaxBackward0" : "AminBackward0", (g, n) -> {
                Tensor hit = sa.unpack().eq(unsqueezeReduced(so.unpack(), in, mask, keepdim)).to(g[0].dtype);
                Tensor cnt = hit.sum(allDims(mask), true);
                return new Tensor[]{hit.div(cnt).mul(unsqueezeReduced(g[0], in, mask, keepdim))};
            }, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    private static void checkNonEmpty(Tensor a, boolean[] mask, String op) {
        for (int d = 0; d < a.dim(); d++) {
            if (mask[d] && a.shape[d] == 0) {
                throw new IllegalArgumentException(op + "(): Expected reduction dim " + d + " to have non-zero size (input shape "
                        + Shapes.str(a.shape) + "). Fix: reduce over a non-empty dim");
            }
        }
    }

    /** max/min along one dim: values and int64 indices; the gradient goes to the selected index. */
    static ValuesIndices maxMinDim(Tensor a, int dim, boolean keepdim, boolean max) {
        String op = max ? "max" : "min";
        boolean[] mask = reduceMask(a.dim(), new int[]{dim}, op);
        checkNonEmpty(a, mask, op);
        Tensor values = reduceForward(max ? Kind.MAX : Kind.MIN, a, mask, keepdim, a.dtype);
        Tensor idx = reduceForward(max ? Kind.ARGMAX : Kind.ARGMIN, a, mask, keepdim, DType.INT64);
        int d = a.dim() == 0 ? 0 : Shapes.wrapDim(dim, a.dim(), op);
        recordSelect(values, idx, a, d, keepdim, max ? "MaxBackward0" : "MinBackward0");
        return new ValuesIndices(values, idx);
    }

    /** Records PyTorch's value_selecting_reduction_backward: g scattered to the selected indices along dim. */
    static void recordSelect(Tensor values, Tensor idx, Tensor a, int d, boolean keepdim, String node) {
        if (!Graph.needsGrad(a)) return;
        int[] in = a.shape;
        SavedTensor si = Graph.save(idx);
        Graph.record(values, node, (g, n) -> {
            if (in.length == 0) return new Tensor[]{g[0].reshape(in)};
            Tensor gg = keepdim ? g[0] : g[0].unsqueeze(d);
            Tensor ii = keepdim ? si.unpack() : si.unpack().unsqueeze(d);
            return new Tensor[]{IndexOps.scatterAdd(Tensor.zerosOf(in, g[0].dtype, g[0].device()), d, ii, gg)};
        }, new SavedTensor[]{si}, a);
    }

    /** var over dims with Bessel-style {@code correction} (two-pass in double precision for float32). */
    static Tensor var(Tensor a, int[] dims, double correction, boolean keepdim) {
        floating(a, "var");
        boolean[] mask = reduceMask(a.dim(), dims, "var");
        int cnt = count(a, mask);
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor x = a.toDouble();
            Tensor dev = x.sub(x.mean(allDims(mask), true));
            out = dev.mul(dev).sum(allDims(mask), keepdim).div(Math.max(0, cnt - correction)).to(a.dtype);
        }
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a);
            int[] in = a.shape;
            Graph.record(out, "VarBackward0", (g, n) -> {
                Tensor x = sa.unpack();
                Tensor dev = x.sub(x.mean(allDims(mask), true));
                return new Tensor[]{unsqueezeReduced(g[0], in, mask, keepdim).mul(dev).mul(2.0 / (cnt - correction))};
            }, new SavedTensor[]{sa}, a);
        }
        return out;
    }

    /** std = sqrt(var); its gradient is 0 where std is 0, as in PyTorch. */
    static Tensor std(Tensor a, int[] dims, double correction, boolean keepdim) {
        floating(a, "std");
        boolean[] mask = reduceMask(a.dim(), dims, "std");
        int cnt = count(a, mask);
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            out = var(a, dims, correction, keepdim).sqrt();
        }
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            int[] in = a.shape;
            Graph.record(out, "StdBackward0", (g, n) -> {
                Tensor x = sa.unpack(), s = unsqueezeReduced(so.unpack(), in, mask, keepdim);
                Tensor dev = x.sub(x.mean(allDims(mask), true));
                Tensor gs = unsqueezeReduced(g[0], in, mask, keepdim).div(s).maskedFill(s.eq(0.0), 0.0);
                return new Tensor[]{gs.mul(dev).div(cnt - correction)};
            }, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    private static int count(Tensor a, boolean[] mask) {
        int c = 1;
        for (int d = 0; d < a.dim(); d++) if (mask[d]) c *= a.shape[d];
        return c;
    }

    private static void floating(Tensor a, String op) {
        if (!a.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + "(): input dtype should be either floating point or complex dtypes. Got "
                    + a.dtype + " instead. Fix: call .toFloat() first");
        }
    }

    /** log(sum(exp(x))) over dims, stabilised by the maximum (infinite maxima are not subtracted). */
    static Tensor logsumexp(Tensor a, int[] dims, boolean keepdim) {
        Tensor x0 = UnaryOps.floatIn(a);
        boolean[] mask = reduceMask(a.dim(), dims, "logsumexp");
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor x = x0.detach();
            if (x.numel() == 0) {
                out = x.exp().sum(allDims(mask), keepdim).log();
            } else {
                Tensor m = reduceForward(Kind.MAX, x, mask, true, x.dtype);
                m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0.0);
                out = x.sub(m).exp().sum(allDims(mask), true).log().add(m);
                if (!keepdim) out = out.reshape(reducedShape(a.shape, mask, false));
            }
        }
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            int[] in = a.shape;
            Graph.record(out, "LogsumexpBackward0", (g, n) -> {
                Tensor r = unsqueezeReduced(so.unpack(), in, mask, keepdim);
                return new Tensor[]{unsqueezeReduced(g[0], in, mask, keepdim).mul(sa.unpack().sub(r).exp())};
            }, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    static Tensor softmax(Tensor a, int dim) {
        Tensor x0 = UnaryOps.floatIn(a);
        int d = Shapes.wrapDim(dim, a.dim(), "softmax");
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor x = x0.detach();
            Tensor e = a.dim() == 0 ? x.sub(x).exp() : x.sub(x.amax(new int[]{d}, true)).exp();
            out = a.dim() == 0 ? e : e.div(e.sum(new int[]{d}, true));
        }
        if (Graph.needsGrad(a)) {
            SavedTensor so = Graph.save(out);
            Graph.record(out, "SoftmaxBackward0", (g, n) -> {
                Tensor y = so.unpack();
                Tensor gy = g[0].mul(y);
                return new Tensor[]{gy.sub(y.mul(y.dim() == 0 ? gy : gy.sum(new int[]{d}, true)))};
            }, new SavedTensor[]{so}, a);
        }
        return out;
    }

    static Tensor logSoftmax(Tensor a, int dim) {
        Tensor x0 = UnaryOps.floatIn(a);
        int d = Shapes.wrapDim(dim, a.dim(), "log_softmax");
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            Tensor x = x0.detach();
            if (a.dim() == 0) out = x.sub(x);
            else if (x.numel() == 0) out = x.mul(1.0);
            else {
                // libtorch's kernel: t = x - max, t - log(sum(exp(t))); a row holding +inf is NaN throughout
                // (inf - inf), as in PyTorch, where x - logsumexp(x) would give -inf for the finite entries
                Tensor t = x.sub(x.amax(new int[]{d}, true));
                out = t.sub(t.exp().sum(new int[]{d}, true).log());
            }
        }
        if (Graph.needsGrad(a)) {
            SavedTensor so = Graph.save(out);
            Graph.record(out, "LogSoftmaxBackward0", (g, n) -> {
                Tensor y = so.unpack();
                Tensor s = y.dim() == 0 ? g[0] : g[0].sum(new int[]{d}, true);
                return new Tensor[]{g[0].sub(y.exp().mul(s))};
            }, new SavedTensor[]{so}, a);
        }
        return out;
    }

    static Tensor allAny(Tensor a, int dim, boolean keepdim, boolean all) {
        boolean[] mask = reduceMask(a.dim(), new int[]{dim}, all ? "all" : "any");
        return reduceForward(all ? Kind.ALL : Kind.ANY, a, mask, keepdim, DType.BOOL);
    }
}
