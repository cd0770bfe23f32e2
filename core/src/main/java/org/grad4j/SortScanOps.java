package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.autograd.SavedTensor;
import org.grad4j.internal.Graph;
import org.grad4j.kernels.SortScanKernels;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

import java.util.Arrays;

/** Ops along one dim: cumsum, cumprod, sort, topk, median, quantile. */
final class SortScanOps {
    private SortScanOps() {}

    static Tensor cumsum(Tensor a, int dim) {
        int d = a.dim() == 0 ? 0 : Shapes.wrapDim(dim, a.dim(), "cumsum");
        Tensor out = scan(SortScanKernels.Scan.SUM, a, d);
        if (Graph.needsGrad(a)) {
            Graph.record(out, "CumsumBackward0", (g, nn) -> new Tensor[]{reverseCumsum(g[0], d)}, null, a);
        }
        return out;
    }

    /** The scan's forward: floating inputs keep their dtype, the others scan in int64 (PyTorch's promotion). */
    private static Tensor scan(SortScanKernels.Scan kind, Tensor a, int d) {
        DType ot = a.dtype.isFloatingPoint() ? a.dtype : DType.INT64;
        Tensor x = OpSupport.cast(a, ot);
        Tensor out = Tensor.emptyLike(a, a.shape.clone(), ot);
        x.backend().sortScan().scan(kind, x.strided(), d, out.storage);
        return out;
    }

    static Tensor reverseCumsum(Tensor g, int d) {
        if (g.dim() == 0) return g;
        return ShapeOps.flip(cumsum(ShapeOps.flip(g, new int[]{d}), d), new int[]{d});
    }

    static Tensor cumprod(Tensor a, int dim) {
        int d = a.dim() == 0 ? 0 : Shapes.wrapDim(dim, a.dim(), "cumprod");
        Tensor out = scan(SortScanKernels.Scan.PROD, a, d);
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            Graph.record(out, "CumprodBackward0", (g, nn) -> {
                Tensor xs = sa.unpack();
                if (xs.dim() == 0) return new Tensor[]{g[0]};
                if (!xs.eq(0.0).any().itemBool()) return new Tensor[]{reverseCumsum(g[0].mul(so.unpack()), d).div(xs)};
                return new Tensor[]{cumprodGradWithZeros(g[0], xs, d)};
            }, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    /** grad_i = sum_{k >= i} g_k prod_{j <= k, j != i} x_j, built without division (O(n^2)). */
    private static Tensor cumprodGradWithZeros(Tensor g, Tensor x, int d) {
        Tensor m = ShapeOps.movedim(x, d, -1), gm = ShapeOps.movedim(g, d, -1);
        int n = m.size(-1);
        int[] sh = m.shape();
        int[] big = Arrays.copyOf(sh, sh.length + 1);
        big[sh.length - 1] = n;
        big[sh.length] = n;
        Tensor eye = Grad4j.eye(n).toBool();
        Tensor rows = BinaryOps.where(eye, Tensor.wrapScalar(1.0), m.unsqueeze(-2).expand(big));   // [.., i, j]
        Tensor c = cumprod(rows, -1);                                                         // [.., i, k]
        Tensor upper = ShapeOps.triangle(Grad4j.ones(new int[]{n, n}, x.dtype, x.device()), 0, false);            // k >= i
        Tensor r = c.mul(upper).mul(gm.unsqueeze(-2)).sum(new int[]{-1}, false);
        return ShapeOps.movedim(r, -1, d);
    }

    /** Stable sort along dim; NaN sorts as the largest value, as in PyTorch. */
    static ValuesIndices sort(Tensor a, int dim, boolean descending) {
        int d = a.dim() == 0 ? 0 : Shapes.wrapDim(dim, a.dim(), "sort");
        Tensor values = Tensor.emptyLike(a, a.shape.clone(), a.dtype);
        Tensor idx = Tensor.emptyLike(a, a.shape.clone(), DType.INT64);
        a.backend().sortScan().sort(a.strided(), d, descending, values.storage, idx.storage);
        ReduceOps.recordSelect(values, idx, a, d, true, "SortBackward0");
        return new ValuesIndices(values, idx);
    }

    /**
     * PyTorch's sort order: NaN above everything (+inf included), all NaNs equal, and -0 equal to 0
     * (Double.compare would order -0 before 0 and break stability).
     */
    static int compareNanLast(double a, double b) {
        boolean na = a != a, nb = b != b;
        if (na || nb) return na == nb ? 0 : na ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : 0;
    }

    static ValuesIndices topk(Tensor a, int k, int dim, boolean largest) {
        int d = a.dim() == 0 ? 0 : Shapes.wrapDim(dim, a.dim(), "topk");
        int n = a.dim() == 0 ? 1 : a.shape[d];
        if (k < 0 || k > n) throw new IllegalArgumentException("topk: selected index k (" + k + ") out of range for dimension " + d + " with size " + n);
        ValuesIndices s;
        try (var ng = Autograd.noGrad()) {
            s = sort(a, d, largest);
        }
        Tensor idx = a.dim() == 0 ? s.indices() : OpSupport.copyOf(s.indices().narrow(d, 0, k));
        Tensor values = a.dim() == 0 ? s.values() : OpSupport.copyOf(s.values().narrow(d, 0, k));
        ReduceOps.recordSelect(values, idx, a, d, true, "TopkBackward0");
        return new ValuesIndices(values, idx);
    }

    /**
     * median along dim: the lower of the two middle values, with its index. A slice holding NaN has
     * median NaN at the index of its first NaN (PyTorch); {@code ignoreNan} (nanmedian) takes the lower
     * middle of the non-NaN values instead, NaN at index 0 when there are none.
     */
    static ValuesIndices median(Tensor a, int dim, boolean keepdim) { return median(a, dim, keepdim, false); }

    static ValuesIndices median(Tensor a, int dim, boolean keepdim, boolean ignoreNan) {
        String op = ignoreNan ? "nanmedian" : "median";
        int d = a.dim() == 0 ? 0 : Shapes.wrapDim(dim, a.dim(), op);
        int n = a.dim() == 0 ? 1 : a.shape[d];
        if (n == 0) throw new IllegalArgumentException(op + "(): Expected reduction dim " + d + " to have non-zero size.");
        int[] outShape = a.dim() == 0 ? Shapes.SCALAR : removeDim(a.shape, d);
        Tensor values = Tensor.emptyLike(a, outShape, a.dtype), idx = Tensor.emptyLike(a, outShape.clone(), DType.INT64);
        a.backend().sortScan().median(a.strided(), d, ignoreNan, values.storage, idx.storage);
        if (keepdim && a.dim() > 0) {
            values = values.unsqueeze(d).contiguous();
            idx = idx.unsqueeze(d).contiguous();
        }
        ReduceOps.recordSelect(values, idx, a, d, keepdim, ignoreNan ? "NanmedianBackward1" : "MedianBackward1");
        return new ValuesIndices(values, idx);
    }

    private static int[] removeDim(int[] s, int d) {
        int[] r = new int[s.length - 1];
        for (int i = 0, j = 0; i < s.length; i++) if (i != d) r[j++] = s[i];
        return r;
    }

    /** median of all elements (NaN when any is NaN); the gradient is shared evenly among elements equal to it (MedianBackward0). */
    static Tensor medianAll(Tensor a) { return medianAll(a, false); }

    /** median (or nanmedian) of all elements. */
    static Tensor medianAll(Tensor a, boolean ignoreNan) {
        if (a.numel() == 0) return Grad4j.full(new int[0], Double.NaN, a.dtype, a.device());
        Tensor flat = a.detach().reshape(-1);
        Tensor out = OpSupport.copyOf(median(flat, 0, false, ignoreNan).values());
        if (Graph.needsGrad(a)) {
            SavedTensor sa = Graph.save(a), so = Graph.save(out);
            Graph.record(out, ignoreNan ? "NanmedianBackward0" : "MedianBackward0",
                    (g, n) -> new Tensor[]{ReduceOps.evenlyDistribute(g[0], sa.unpack(), so.unpack())}, new SavedTensor[]{sa, so}, a);
        }
        return out;
    }

    /** quantile with linear interpolation along dim (null: of all elements), differentiable through sort; NaN where a slice has NaN. */
    static Tensor quantile(Tensor a, double q, Integer dim, boolean keepdim) {
        if (!a.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("quantile() input tensor must be either float or double dtype, got " + a.dtype);
        }
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile() q must be in the range [0, 1] but got " + q);
        Tensor x = dim == null ? a.reshape(-1) : a;
        int d = dim == null ? 0 : Shapes.wrapDim(dim, a.dim(), "quantile");
        int n = x.size(d);
        if (n == 0) throw new IllegalArgumentException("quantile() input tensor must be non-empty");
        Tensor sorted = sort(x, d, false).values();
        double pos = q * (n - 1);
        int lo = (int) Math.floor(pos), hi = Math.min(lo + 1, n - 1);
        double w = pos - lo;
        Tensor vlo = sorted.select(d, lo), vhi = sorted.select(d, hi);
        // lerp's two formulas, as PyTorch's quantile: between -inf and a finite value at w >= 0.5 the
        // result is -inf, where lo + w * (hi - lo) would make NaN (-inf + inf)
        Tensor r = vlo.lerp(vhi, w);
        if (a.dtype.isFloatingPoint()) {
            // a slice holding NaN has quantile NaN, taken (with its gradient) from the last sorted element, as PyTorch
            Tensor last = sorted.select(d, n - 1);
            Tensor hasNan = last.detach().isnan();
            if (hasNan.any().itemBool()) r = r.where(hasNan.logicalNot(), last);
        }
        if (keepdim) {
            if (dim == null) {
                int[] ones = new int[a.dim()];
                Arrays.fill(ones, 1);
                return r.reshape(ones);
            }
            return r.unsqueeze(d);
        }
        return r;
    }
}
