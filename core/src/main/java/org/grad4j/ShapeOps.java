package org.grad4j;

import org.grad4j.autograd.Autograd;
import org.grad4j.internal.Graph;
import org.grad4j.storage.DType;
import org.grad4j.storage.Shapes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * View and shape ops. Views share storage and version counter with their base; the ops after them
 * (movedim, flip, roll, tril/triu, diagonal, diag_embed, repeat, split) are views or copies as in PyTorch.
 */
final class ShapeOps {
    private ShapeOps() {}

    // ------------------------------------------------------------------ views (share storage and version counter)

    /** A view of t with new geometry, recorded with a backward formula when needed. */
    private static Tensor view(Tensor t, int[] shape, int[] strides, int offset) {
        return t.makeView(shape, strides, offset);
    }

    static int[] inferShape(int[] req, int numel, String op) {
        int[] s = req.clone();
        int infer = -1;
        long prod = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException(op + ": only one dimension can be inferred");
                infer = i;
            } else if (s[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid shape dimension " + s[i]);
            } else prod *= s[i];
        }
        if (infer >= 0) {
            if (prod == 0 || numel % prod != 0) {
                throw new IllegalArgumentException(op + ": shape '" + Arrays.toString(req) + "' is invalid for input of size " + numel);
            }
            s[infer] = (int) (numel / prod);
        } else if (prod != numel) {
            throw new IllegalArgumentException(op + ": shape '" + Arrays.toString(req) + "' is invalid for input of size " + numel);
        }
        return s;
    }

    /** PyTorch's computeStride: strides for viewing (shape, strides) as newShape, or null if impossible. */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        int[] ns = new int[newShape.length];
        int numel = Shapes.numel(shape);
        if (numel == 0) return Shapes.contiguousStrides(newShape);
        if (shape.length == 0) {
            Arrays.fill(ns, 1);
            return ns;
        }
        int viewD = newShape.length - 1;
        long chunkBase = strides[strides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int td = shape.length - 1; td >= 0; td--) {
            tensorNumel *= shape[td];
            if (td == 0 || (shape[td - 1] != 1 && strides[td - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    ns[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (td > 0) {
                    chunkBase = strides[td - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) return null;
        return ns;
    }

    static Tensor view(Tensor t, int[] req) {
        int[] shape = inferShape(req, t.numel(), "view");
        int[] st = viewStrides(t.shape, t.strides, shape);
        if (st == null) {
            throw new IllegalStateException("view size is not compatible with input tensor's size and stride (at least one "
                    + "dimension spans across two contiguous subspaces). Use .reshape(...) instead. (input shape "
                    + Shapes.str(t.shape) + ", strides " + Shapes.str(t.strides) + ", requested " + Shapes.str(shape) + ")");
        }
        Tensor out = view(t, shape, st, t.offset);
        if (Graph.needsGrad(t)) {
            int[] in = t.shape;
            Graph.record(out, "ViewBackward0", (g, n) -> new Tensor[]{g[0].reshape(in)}, null, t);
        }
        return out;
    }

    static Tensor reshape(Tensor t, int... req) {
        int[] shape = inferShape(req, t.numel(), "reshape");
        if (Arrays.equals(shape, t.shape) && !Graph.needsGrad(t)) return t;
        int[] st = viewStrides(t.shape, t.strides, shape);
        if (st != null) return view(t, shape);
        return view(UnaryOps.cloneOp(t), shape);
    }

    static Tensor transpose(Tensor t, int d0, int d1) {
        int r = t.shape.length;
        if (r == 0) return t;
        int a = Shapes.wrapDim(d0, r, "transpose"), b = Shapes.wrapDim(d1, r, "transpose");
        int[] sh = t.shape.clone(), st = t.strides.clone();
        sh[a] = t.shape[b]; sh[b] = t.shape[a];
        st[a] = t.strides[b]; st[b] = t.strides[a];
        Tensor out = view(t, sh, st, t.offset);
        if (Graph.needsGrad(t)) Graph.record(out, "TransposeBackward0", (g, n) -> new Tensor[]{g[0].transpose(a, b)}, null, t);
        return out;
    }

    static Tensor t(Tensor t) {
        if (t.shape.length > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + t.shape.length
                    + "D. Fix: use transpose(dim0, dim1) or mT for batches of matrices");
        }
        if (t.shape.length < 2) {
            Tensor out = view(t, t.shape, t.strides, t.offset);
            if (Graph.needsGrad(t)) Graph.record(out, "TBackward0", (g, n) -> new Tensor[]{g[0]}, null, t);
            return out;
        }
        int[] sh = {t.shape[1], t.shape[0]}, st = {t.strides[1], t.strides[0]};
        Tensor out = view(t, sh, st, t.offset);
        if (Graph.needsGrad(t)) Graph.record(out, "TBackward0", (g, n) -> new Tensor[]{g[0].t()}, null, t);
        return out;
    }

    static Tensor permute(Tensor t, int[] dims) {
        int r = t.shape.length;
        if (dims.length != r) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does not match "
                    + "the length of the desired ordering of dimensions i.e. input.dim() = " + r + " is not equal to len(dims) = " + dims.length);
        }
        int[] sh = new int[r], st = new int[r], inv = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            int d = Shapes.wrapDim(dims[i], r, "permute");
            if (seen[d]) throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            seen[d] = true;
            sh[i] = t.shape[d];
            st[i] = t.strides[d];
            inv[d] = i;
        }
        Tensor out = view(t, sh, st, t.offset);
        if (Graph.needsGrad(t)) Graph.record(out, "PermuteBackward0", (g, n) -> new Tensor[]{g[0].permute(inv)}, null, t);
        return out;
    }

    static Tensor expand(Tensor t, int[] sizes) {
        int r = t.shape.length;
        if (sizes.length < r) {
            throw new IllegalArgumentException("expand(" + t.typeName() + "{" + Shapes.str(t.shape) + "}, size=" + Shapes.str(sizes)
                    + "): the number of sizes provided (" + sizes.length + ") must be greater or equal to the number of "
                    + "dimensions in the tensor (" + r + ")");
        }
        int n = sizes.length, lead = n - r;
        int[] sh = new int[n], st = new int[n];
        for (int i = 0; i < n; i++) {
            int want = sizes[i];
            if (i < lead) {
                if (want < 0) throw new IllegalArgumentException("expand: the expanded size of the tensor (" + want
                        + ") isn't allowed in a leading, non-existing dimension " + i);
                sh[i] = want;
                st[i] = 0;
            } else {
                int have = t.shape[i - lead];
                if (want == -1) want = have;
                if (have == want) {
                    sh[i] = have;
                    st[i] = t.strides[i - lead];
                } else if (have == 1) {
                    sh[i] = want;
                    st[i] = 0;
                } else {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + want + ") must match the existing size ("
                            + have + ") at non-singleton dimension " + i + ".  Target sizes: " + Shapes.str(sizes)
                            + ".  Tensor sizes: " + Shapes.str(t.shape));
                }
            }
        }
        if (Arrays.equals(sh, t.shape) && !Graph.needsGrad(t)) return t;
        Tensor out = view(t, sh, st, t.offset);
        if (Graph.needsGrad(t)) {
            int[] in = t.shape;
            Graph.record(out, "ExpandBackward0", (g, nn) -> new Tensor[]{g[0].sumTo(in)}, null, t);
        }
        return out;
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int r = t.shape.length;
        int d = Shapes.wrapDim(dim, r + 1, "unsqueeze");
        int[] sh = new int[r + 1], st = new int[r + 1];
        for (int i = 0, j = 0; i <= r; i++) {
            if (i == d) {
                sh[i] = 1;
                st[i] = d < r ? t.strides[d] * t.shape[d] : 1;
            } else {
                sh[i] = t.shape[j];
                st[i] = t.strides[j++];
            }
        }
        Tensor out = view(t, sh, st, t.offset);
        if (Graph.needsGrad(t)) Graph.record(out, "UnsqueezeBackward0", (g, n) -> new Tensor[]{g[0].squeeze(d)}, null, t);
        return out;
    }

    static Tensor squeeze(Tensor t, Integer dim) {
        int r = t.shape.length;
        int only = dim == null ? -1 : Shapes.wrapDim(dim, r, "squeeze");
        int k = 0;
        for (int i = 0; i < r; i++) if (!(t.shape[i] == 1 && (dim == null || i == only))) k++;
        int[] sh = new int[k], st = new int[k];
        for (int i = 0, j = 0; i < r; i++) {
            if (t.shape[i] == 1 && (dim == null || i == only)) continue;
            sh[j] = t.shape[i];
            st[j++] = t.strides[i];
        }
        Tensor out = view(t, sh, st, t.offset);
        if (Graph.needsGrad(t)) {
            int[] in = t.shape;
            Graph.record(out, dim == null ? "SqueezeBackward0" : "SqueezeBackward1", (g, n) -> new Tensor[]{g[0].reshape(in)}, null, t);
        }
        return out;
    }

    static Tensor select(Tensor t, int dim, int index) {
        int r = t.shape.length;
        if (r == 0) throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
        int d = Shapes.wrapDim(dim, r, "select");
        int size = t.shape[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Shapes.str(t.shape) + " at dimension " + d);
        }
        int i = index < 0 ? index + size : index;
        int[] sh = remove(t.shape, d), st = remove(t.strides, d);
        Tensor out = view(t, sh, st, t.offset + i * t.strides[d]);
        if (Graph.needsGrad(t)) {
            int[] in = t.shape, cs = Shapes.contiguousStrides(in);
            int[] gst = remove(cs, d);
            int goff = i * cs[d];
            Graph.record(out, "SelectBackward0", (g, n) -> new Tensor[]{embed(g[0], in, sh, gst, goff)}, null, t);
        }
        return out;
    }

    /** narrow: unlike slice, a window outside the dimension is an error (PyTorch's checks and messages), never clipped. */
    static Tensor narrow(Tensor t, int dim, int start, int length) {
        if (t.shape.length == 0) throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        int d = Shapes.wrapDim(dim, t.shape.length, "narrow");
        int size = t.shape[d];
        if (length < 0) {
            throw new IllegalArgumentException("narrow(): length must be non-negative. (got " + length + " for shape " + Shapes.str(t.shape)
                    + "). Fix: pass the number of elements to keep");
        }
        if (start < -size || start > size) {
            throw new IndexOutOfBoundsException("narrow(): start out of range (expected to be in range of [" + -size + ", " + size
                    + "], but got " + start + ") for dimension " + d + " of shape " + Shapes.str(t.shape) + ". Fix: start within the dimension");
        }
        int s = start < 0 ? start + size : start;
        if ((long) s + length > size) {
            throw new IndexOutOfBoundsException("narrow(): start (" + s + ") + length (" + length + ") exceeds dimension size (" + size
                    + ") of dimension " + d + " of shape " + Shapes.str(t.shape) + ". Fix: length at most " + (size - s) + " from that start");
        }
        return slice(t, d, s, s + length, 1);
    }

    static Tensor slice(Tensor t, int dim, int start, int end, int step) {
        int r = t.shape.length;
        if (r == 0) throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor.");
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive, got " + step);
        int d = Shapes.wrapDim(dim, r, "slice");
        int size = t.shape[d];
        int s = start < 0 ? Math.max(start + size, 0) : Math.min(start, size);
        int e = end < 0 ? Math.max(end + size, 0) : Math.min(end, size);
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] sh = t.shape.clone(), st = t.strides.clone();
        sh[d] = len;
        st[d] = t.strides[d] * step;
        Tensor out = view(t, sh, st, t.offset + s * t.strides[d]);
        if (Graph.needsGrad(t)) {
            int[] in = t.shape, cs = Shapes.contiguousStrides(in);
            int[] gst = cs.clone();
            gst[d] = cs[d] * step;
            int goff = s * cs[d];
            Graph.record(out, "SliceBackward0", (g, n) -> new Tensor[]{embed(g[0], in, sh, gst, goff)}, null, t);
        }
        return out;
    }

    /** {@code x.unfold(dim, size, step)}: every window of {@code size} along dim, {@code step} apart, as a new last dim. */
    static Tensor unfold(Tensor t, int dim, int size, int step) {
        int r = t.shape.length;
        int d = Shapes.wrapDim(dim, Math.max(r, 1), "unfold");
        int len = r == 0 ? 1 : t.shape[d], stride = r == 0 ? 1 : t.strides[d];
        if (size > len) {
            throw new IllegalArgumentException("maximum size for tensor at dimension " + d + " is " + len + " but size is " + size
                    + ". Fix: size must be at most the dimension's length");
        }
        if (step <= 0) throw new IllegalArgumentException("step is " + step + " but must be > 0");
        if (size < 0) throw new IllegalArgumentException("size is " + size + " but must be >= 0");
        int[] sh = new int[r + 1], st = new int[r + 1];
        if (r > 0) {
            System.arraycopy(t.shape, 0, sh, 0, r);
            System.arraycopy(t.strides, 0, st, 0, r);
            sh[d] = (len - size) / step + 1;
            st[d] = stride * step;
        }
        sh[r] = size;
        st[r] = stride;
        if (r == 0) { sh = new int[]{size}; st = new int[]{1}; }
        Tensor out = view(t, sh, st, t.offset);
        if (Graph.needsGrad(t)) {
            int[] in = t.shape, cs = Shapes.contiguousStrides(in);
            int[] gsh = sh, gst = new int[sh.length];
            if (r > 0) {
                System.arraycopy(cs, 0, gst, 0, r);
                gst[d] = cs[d] * step;
                gst[r] = cs[d];
            } else {
                gst[0] = 1;
            }
            // overlapping windows (step < size) sum their gradients: embed adds where positions repeat
            Graph.record(out, "UnfoldBackward0", (g, n) -> new Tensor[]{embed(g[0], in, gsh, gst, 0)}, null, t);
        }
        return out;
    }

    /**
     * {@code x.as_strided(size, stride, storageOffset)}: a view of x's storage with any geometry
     * (positions in the storage, as PyTorch). Its gradient adds the view's gradient at each position
     * and reads it back with x's geometry, dividing by how often x itself repeats a position.
     */
    static Tensor asStrided(Tensor t, int[] size, int[] stride, int storageOffset) {
        if (size.length != stride.length) {
            throw new IllegalArgumentException("mismatch in length of strides and shape: as_strided got size "
                    + Shapes.str(size) + " and stride " + Shapes.str(stride));
        }
        for (int s : stride) {
            if (s < 0) throw new IllegalArgumentException("as_strided: Negative strides are not supported at the moment, got strides: "
                    + Shapes.str(stride));
        }
        for (int s : size) if (s < 0) throw new IllegalArgumentException("as_strided: negative size in " + Shapes.str(size));
        long need = storageOffset;
        if (Shapes.numel(size) > 0) for (int i = 0; i < size.length; i++) need += (long) (size[i] - 1) * stride[i];
        if (storageOffset < 0 || (Shapes.numel(size) > 0 && need >= t.storage.size())) {
            throw new IllegalArgumentException("setStorage: sizes " + Shapes.str(size) + ", strides " + Shapes.str(stride)
                    + ", storage offset " + storageOffset + ", and itemsize " + t.dtype.itemSize() + " requiring a storage size of "
                    + (need + 1) * t.dtype.itemSize() + " are out of bounds for storage of size " + (long) t.storage.size() * t.dtype.itemSize());
        }
        int[] sh = size.clone(), st = stride.clone();
        Tensor out = view(t, sh, st, storageOffset);
        if (Graph.needsGrad(t)) {
            int[] bs = t.shape, bst = t.strides;
            int bo = t.offset;
            boolean repeats = MemOverlap.mayOverlap(bs, bst);
            Graph.record(out, "AsStridedBackward0", (g, n) -> {
                Tensor gi = ViewTracking.viewToBase(g[0], bs, bst, bo, sh, st, storageOffset);
                if (!repeats) return new Tensor[]{gi};
                Tensor count;
                try (var ng = org.grad4j.autograd.Autograd.noGrad()) {
                    count = ViewTracking.viewToBase(Grad4j.ones(bs.clone(), gi.dtype, gi.device()), bs, bst, bo, bs, bst, bo);
                }
                return new Tensor[]{gi.div(count)};
            }, null, t);
        }
        return out;
    }

    /**
     * Zeros of {@code baseShape} with {@code g} written into the window (viewShape, viewStrides,
     * viewOffset) of its contiguous layout: the gradient of taking that window. Differentiable:
     * its own gradient takes the window again.
     */
    static Tensor embed(Tensor g, int[] baseShape, int[] viewShape, int[] viewStrides, int viewOffset) {
        Tensor out = Tensor.emptyLike(g, baseShape.clone(), g.dtype);
        int[] gst = Shapes.broadcastStrides(g.shape, g.strides, viewShape);
        if (MemOverlap.mayOverlap(viewShape, viewStrides)) {
            // expand/unfold-like windows: positions repeat, so they are summed one element at a time
            out.backend().elementwise().accumulate(OpSupport.at(g, viewShape, gst, g.offset), OpSupport.at(out, viewShape, viewStrides, viewOffset));
        } else {
            out.backend().elementwise().copy(OpSupport.at(g, viewShape, gst, g.offset), OpSupport.at(out, viewShape, viewStrides, viewOffset));
        }
        if (Graph.needsGrad(g)) {
            Graph.record(out, "SliceBackwardBackward0", (gg, n) -> new Tensor[]{window(gg[0], viewShape, viewStrides, viewOffset)}, null, g);
        }
        return out;
    }

    /** The window (shape, strides, offset) of t's contiguous layout; inverse of embed. */
    static Tensor window(Tensor t, int[] shape, int[] strides, int off) {
        Tensor c = t.contiguous();
        Tensor out = view(c, shape, strides, c.offset + off);
        if (Graph.needsGrad(c)) {
            int[] in = c.shape;
            Graph.record(out, "AsStridedBackward0", (g, n) -> new Tensor[]{embed(g[0], in, shape, strides, off)}, null, c);
        }
        return out;
    }

    static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        for (int k = 0, j = 0; k < a.length; k++) if (k != i) r[j++] = a[k];
        return r;
    }

    // ------------------------------------------------------------------ movedim, flip, roll, tril, diagonal, repeat, split

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
        int[] inner = inferShape(sizes, x.shape[d], "unflatten");
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
        Tensor out = Tensor.emptyLike(x, x.shape.clone(), x.dtype);
        out.backend().elementwise().copy(OpSupport.at(x, x.shape, st, off), out.strided());
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
            if (out == x) out = OpSupport.copyOf(x);
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
        Tensor keep = Tensor.emptyLike(x, new int[]{rows, cols}, DType.BOOL);
        keep.backend().elementwise().triangleMask(keep.storage, rows, cols, k, lower);
        Tensor out;
        try (var ng = Autograd.noGrad()) {
            out = BinaryOps.where(keep, x, OpSupport.cast(Tensor.wrapScalar(0L), x.dtype));
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
            Graph.record(out, "DiagonalBackward0", (g, n) -> new Tensor[]{embed(g[0], in, cg[0], cg[1], cg[2][0])}, null, x);
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
        Tensor out = Tensor.emptyLike(x, sh, x.dtype);
        int[][] geo = diagGeometry(sh, out.strides, 0, off, d1, d2);
        out.backend().elementwise().copy(OpSupport.at(x, geo[0], x.strides, x.offset), OpSupport.at(out, geo[0], geo[1], geo[2][0]));
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
            out = OpSupport.copyOf(x.reshape(inter).expand(expanded)).reshape(res);
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
