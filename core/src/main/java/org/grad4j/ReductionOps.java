package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.ReduceKernels.Kind;
import org.grad4j.storage.Shapes;

import static org.grad4j.ReduceOps.reduceForward;
import static org.grad4j.ReduceOps.reduceMask;
import static org.grad4j.ReduceOps.unsqueezeReduced;

/** Reductions beyond sum/mean/norm: prod, amax/amin, max/min(dim), var/std, logsumexp, softmax, all/any(dim). */
final class ReductionOps {
    private ReductionOps() {}

    private static int[] dimsOf(boolean[] mask) {
        int k = 0;
        for (boolean b : mask) if (b) k++;
        int[] d = new int[k];
        for (int i = 0, j = 0; i < mask.length; i++) if (mask[i]) d[j++] = i;
        return d;
    }

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
        Tensor eye = Grad4j.eye(n).toBool();
        Tensor rows = Ops.where(eye, Tensor.wrapScalar(1.0), m.unsqueeze(-2).expand(big));
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
                Tensor cnt = hit.sum(dimsOf(mask), true);
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
            return new Tensor[]{IndexOps.scatterAdd(Tensor.zerosOf(in, g[0].dtype), d, ii, gg)};
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
            Tensor dev = x.sub(x.mean(dimsOf(mask), true));
            out = dev.mul(dev).sum(dimsOf(mask), keepdim).div(Math.max(0, cnt - correction)).to(a.dtype);
        }
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a);
            int[] in = a.shape;
            Graph.record(out, "VarBackward0", (g, n) -> {
                Tensor x = sa.unpack();
                Tensor dev = x.sub(x.mean(dimsOf(mask), true));
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
                Tensor dev = x.sub(x.mean(dimsOf(mask), true));
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
                out = x.exp().sum(dimsOf(mask), keepdim).log();
            } else {
                Tensor m = reduceForward(Kind.MAX, x, mask, true, x.dtype);
                m = m.maskedFill(m.abs().eq(Double.POSITIVE_INFINITY), 0.0);
                out = x.sub(m).exp().sum(dimsOf(mask), true).log().add(m);
                if (!keepdim) out = out.reshape(ReduceOps.reducedShape(a.shape, mask, false));
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
