package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.internal.Graph;
import org.grad4j.storage.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Shape ops beyond the basic views: movedim, flip, roll, tril/triu, diagonal, diag_embed, repeat, split. */
final class ShapeOps {
    private ShapeOps() {}

    static Tensor movedim(Tensor x, int src, int dst) {
        int r = x.dim();
        if (r == 0) return x;
        int s = Shapes.wrapDim(src, r, "movedim"), d = Shapes.wrapDim(dst, r, "movedim");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < r; i++) if (i != s) order.add(i);
        order.add(d, s);
        return x.permute(order.stream().mapToInt(Integer::intValue).toArray());
    }

    static Tensor flatten(Tensor x, int start, int end) {
        if (x.dim() == 0) return x.reshape(1);
        int s = Shapes.wrapDim(start, x.dim(), "flatten"), e = Shapes.wrapDim(end, x.dim(), "flatten");
        if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim (" + s + ") cannot come after end_dim (" + e + ")");
        int[] sh = new int[x.dim() - (e - s)];
        for (int i = 0, j = 0; i < x.dim(); i++) {
            if (i > s && i <= e) { sh[j - 1] *= x.shape[i]; continue; }
            sh[j++] = x.shape[i];
        }
        return x.reshape(sh);
    }

    static Tensor unflatten(Tensor x, int dim, int[] sizes) {
        int d = Shapes.wrapDim(dim, x.dim(), "unflatten");
        int[] inner = ViewOps.inferShape(sizes, x.shape[d], "unflatten");
        int[] sh = new int[x.dim() - 1 + inner.length];
        System.arraycopy(x.shape, 0, sh, 0, d);
        System.arraycopy(inner, 0, sh, d, inner.length);
        System.arraycopy(x.shape, d + 1, sh, d + inner.length, x.dim() - d - 1);
        return x.view(sh);
    }

    static Tensor flip(Tensor x, int[] dims) {
        boolean[] m = ReduceOps.reduceMask(x.dim(), dims.length == 0 ? new int[0] : dims, "flip");
        if (dims.length == 0) Arrays.fill(m, false);
        int[] st = x.strides.clone();
        int off = x.offset;
        for (int d = 0; d < x.dim(); d++) {
            if (m[d] && x.shape[d] > 0) {
                off += (x.shape[d] - 1) * st[d];
                st[d] = -st[d];
            }
        }
        Tensor out = Tensor.empty(x.shape.clone(), x.dtype);
        out.backend().elementwise().copy(Ops.at(x, x.shape, st, off), out.strided());
        if (Graph.needsGrad(x)) Graph.record(out, "FlipBackward0", (g, n) -> new Tensor[]{flip(g[0], dims)}, null, x);
        return out;
    }

    static Tensor roll(Tensor x, int[] shifts, int[] dims) {
        if (dims.length == 0) {
            if (shifts.length != 1) throw new IllegalArgumentException("roll: shifts must have one value when dims are not given");
            return roll(x.reshape(-1), shifts, new int[]{0}).view(x.shape);
        }
        if (shifts.length != dims.length) {
            throw new IllegalArgumentException("roll: shifts and dimensions must align. shifts: " + shifts.length + ", dims:" + dims.length);
        }
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            out = x;
            for (int i = 0; i < dims.length; i++) {
                int d = Shapes.wrapDim(dims[i], x.dim(), "roll");
                int n = x.shape[d];
                if (n == 0) continue;
                int s = Math.floorMod(shifts[i], n);
                if (s == 0) continue;
                out = JoinOps.cat(new Tensor[]{out.narrow(d, n - s, s), out.narrow(d, 0, n - s)}, d);
            }
            if (out == x) out = Ops.copyOf(x);
        }
        if (Graph.needsGrad(x)) {
            int[] neg = Arrays.stream(shifts).map(v -> -v).toArray();
            Graph.record(out, "RollBackward0", (g, n) -> new Tensor[]{roll(g[0], neg, dims)}, null, x);
        }
        return out;
    }

    /** tril (lower) or triu (upper) of the last two dims, with diagonal offset k. */
    static Tensor triangle(Tensor x, int k, boolean lower) {
        String op = lower ? "tril" : "triu";
        if (x.dim() < 2) throw new IllegalArgumentException(op + ": input tensor must have at least 2 dimensions, got shape " + Shapes.str(x.shape));
        int rows = x.size(-2), cols = x.size(-1);
        Tensor keep = Tensor.empty(new int[]{rows, cols}, DType.BOOL);
        keep.backend().elementwise().triangleMask(keep.storage, rows, cols, k, lower);
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            out = Ops.where(keep, x, Ops.cast(Tensor.wrapScalar(0L), x.dtype));
        }
        out.wrappedNumber = false;
        if (Graph.needsGrad(x)) {
            Graph.record(out, lower ? "TrilBackward0" : "TriuBackward0", (g, n) -> new Tensor[]{triangle(g[0], k, lower)}, null, x);
        }
        return out;
    }

    /** The geometry (shape, strides, offset) of the diagonal view of (shape, strides, offset). */
    private static int[][] diagGeometry(int[] shape, int[] strides, int offset, int off, int d1, int d2) {
        int len = off >= 0 ? Math.max(0, Math.min(shape[d1], shape[d2] - off)) : Math.max(0, Math.min(shape[d1] + off, shape[d2]));
        int o = offset;
        if (len > 0) o += off >= 0 ? off * strides[d2] : -off * strides[d1];
        int r = shape.length;
        int[] sh = new int[r - 1], st = new int[r - 1];
        for (int i = 0, j = 0; i < r; i++) {
            if (i == d1 || i == d2) continue;
            sh[j] = shape[i];
            st[j++] = strides[i];
        }
        sh[r - 2] = len;
        st[r - 2] = strides[d1] + strides[d2];
        return new int[][]{sh, st, {o}};
    }

    static Tensor diagonal(Tensor x, int off, int dim1, int dim2) {
        if (x.dim() < 2) throw new IllegalArgumentException("diagonal: input must have at least 2 dimensions, got shape " + Shapes.str(x.shape));
        int d1 = Shapes.wrapDim(dim1, x.dim(), "diagonal"), d2 = Shapes.wrapDim(dim2, x.dim(), "diagonal");
        if (d1 == d2) throw new IllegalArgumentException("diagonal dimensions cannot be identical " + dim1 + ", " + dim2);
        int[][] geo = diagGeometry(x.shape, x.strides, x.offset, off, d1, d2);
        Tensor out = x.makeView(geo[0], geo[1], geo[2][0]);
        if (Graph.needsGrad(x)) {
            int[] in = x.shape;
            int[][] cg = diagGeometry(in, Shapes.contiguousStrides(in), 0, off, d1, d2);
            Graph.record(out, "DiagonalBackward0", (g, n) -> new Tensor[]{ViewOps.embed(g[0], in, cg[0], cg[1], cg[2][0])}, null, x);
        }
        return out;
    }

    /** diag_embed: the last dim of x becomes the diagonal (offset) of new dims dim1, dim2 of the result. */
    static Tensor diagEmbed(Tensor x, int off, int dim1, int dim2) {
        int r = x.dim() + 1;
        int d1 = Shapes.wrapDim(dim1, r, "diag_embed"), d2 = Shapes.wrapDim(dim2, r, "diag_embed");
        if (d1 == d2) throw new IllegalArgumentException("diag_embed: diagonal dimensions cannot be identical " + dim1 + ", " + dim2);
        int n = x.size(-1) + Math.abs(off);
        int[] sh = new int[r];
        for (int i = 0, j = 0; i < r; i++) sh[i] = (i == d1 || i == d2) ? n : x.shape[j++];
        Tensor out = Tensor.empty(sh, x.dtype);
        int[][] geo = diagGeometry(sh, out.strides, 0, off, d1, d2);
        out.backend().elementwise().copy(Ops.at(x, geo[0], x.strides, x.offset), Ops.at(out, geo[0], geo[1], geo[2][0]));
        if (Graph.needsGrad(x)) Graph.record(out, "DiagEmbedBackward0", (g, nn) -> new Tensor[]{diagonal(g[0], off, d1, d2)}, null, x);
        return out;
    }

    /** torch.diag: a 1-d input becomes a diagonal matrix, a 2-d input gives its diagonal (a copy). */
    static Tensor diag(Tensor x, int off) {
        if (x.dim() == 1) return diagEmbed(x, off, 0, 1);
        if (x.dim() == 2) return diagonal(x, off, 0, 1).clone();
        throw new IllegalArgumentException("diag(): Supports 1D or 2D tensors. Got " + x.dim() + "D");
    }

    static Tensor repeat(Tensor x, int[] reps) {
        if (reps.length < x.dim()) {
            throw new IllegalArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor ("
                    + reps.length + " < " + x.dim() + ")");
        }
        int n = reps.length, lead = n - x.dim();
        int[] inter = new int[2 * n], expanded = new int[2 * n], res = new int[n];
        for (int i = 0; i < n; i++) {
            int s = i < lead ? 1 : x.shape[i - lead];
            inter[2 * i] = 1;
            inter[2 * i + 1] = s;
            expanded[2 * i] = reps[i];
            expanded[2 * i + 1] = s;
            if (reps[i] < 0) {
                throw new IllegalArgumentException("repeat: Trying to create tensor with negative dimension " + reps[i] + ": "
                        + Arrays.toString(reps) + ". Fix: repeat counts must be >= 0");
            }
            res[i] = Shapes.checkedDim("repeat", (long) reps[i] * s, x.shape);   // an int product could wrap silently
        }
        Shapes.checkedNumel("repeat", res);
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            out = Ops.copyOf(x.reshape(inter).expand(expanded)).reshape(res);
        }
        if (Graph.needsGrad(x)) {
            int[] in = x.shape;
            int[] sumDims = new int[n];
            for (int i = 0; i < n; i++) sumDims[i] = 2 * i;
            Graph.record(out, "RepeatBackward0", (g, nn) -> new Tensor[]{g[0].reshape(expanded).sum(sumDims).reshape(in)}, null, x);
        }
        return out;
    }

    static Tensor tile(Tensor x, int[] reps) {
        if (reps.length >= x.dim()) return repeat(x, reps);
        int[] r = new int[x.dim()];
        Arrays.fill(r, 1);
        System.arraycopy(reps, 0, r, x.dim() - reps.length, reps.length);
        return repeat(x, r);
    }

    static List<Tensor> split(Tensor x, int size, int dim) {
        int d = Shapes.wrapDim(dim, x.dim(), "split");
        if (size <= 0 && x.shape[d] > 0) throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + size);
        int n = x.shape[d];
        if (n == 0) return splitViews(x, new int[]{0}, d, "SplitBackward0");
        int[] sizes = new int[(n + size - 1) / size];
        for (int i = 0; i < sizes.length; i++) sizes[i] = Math.min(size, n - i * size);
        return splitViews(x, sizes, d, "SplitBackward0");
    }

    static List<Tensor> splitSizes(Tensor x, int[] sizes, int dim) {
        int d = Shapes.wrapDim(dim, x.dim(), "split_with_sizes");
        int total = Arrays.stream(sizes).sum();
        if (total != x.shape[d]) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + x.shape[d]
                    + " (input tensor's size at dimension " + d + "), but got split_sizes=" + Arrays.toString(sizes));
        }
        return splitViews(x, sizes.clone(), d, "SplitWithSizesBackward0");
    }

    /**
     * Views of consecutive pieces along d, recorded as ONE multi-output node whose gradient
     * concatenates the pieces' gradients (missing ones arrive as zeros), as PyTorch's split.
     */
    private static List<Tensor> splitViews(Tensor x, int[] sizes, int d, String node) {
        Tensor[] out = new Tensor[sizes.length];
        try (var g = Autograd.noGrad()) {
            for (int i = 0, at = 0; i < sizes.length; at += sizes[i], i++) out[i] = x.narrow(d, at, sizes[i]);
        }
        if (Graph.needsGrad(x)) Graph.recordMulti(out, node, (g, n) -> new Tensor[]{JoinOps.cat(g, d)}, null, x);
        Graph.markMultiOutputViews(out);
        return Arrays.asList(out);
    }

    static List<Tensor> chunk(Tensor x, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        int d = Shapes.wrapDim(dim, x.dim(), "chunk");
        int size = (x.shape[d] + chunks - 1) / chunks;
        return split(x, Math.max(size, 1), d);
    }

    /**
     * Views of each slice along {@code dim}, recorded as ONE multi-output node (UnbindBackward0)
     * whose gradient stacks the slices' gradients: linear in the number of slices, where a
     * select per slice would build a full-size zero gradient for each (quadratic for RNN steps).
     */
    static List<Tensor> unbind(Tensor x, int dim) {
        int d = Shapes.wrapDim(dim, x.dim(), "unbind");
        Tensor[] out = new Tensor[x.shape[d]];
        try (var g = org.grad4j.autograd.Autograd.noGrad()) {
            for (int i = 0; i < out.length; i++) out[i] = x.select(d, i);
        }
        if (out.length > 0 && Graph.needsGrad(x)) {
            Graph.recordMulti(out, "UnbindBackward0", (g, n) -> new Tensor[]{JoinOps.stack(g, d)}, null, x);
        }
        Graph.markMultiOutputViews(out);
        return java.util.Arrays.asList(out);
    }
}
