package org.grad4j;

import org.grad4j.internal.Graph;
import org.grad4j.storage.Shapes;

import java.util.Arrays;

/** View and shape ops. Views share storage and version counter with their base. */
final class ViewOps {
    private ViewOps() {}

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
        return view(Ops.cloneOp(t), shape);
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
                    count = ViewTracking.viewToBase(Grad4j.ones(bs.clone()).to(gi.dtype), bs, bst, bo, bs, bst, bo);
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
        Tensor out = Tensor.empty(baseShape.clone(), g.dtype);
        int[] gst = Shapes.broadcastStrides(g.shape, g.strides, viewShape);
        if (MemOverlap.mayOverlap(viewShape, viewStrides)) {
            // expand/unfold-like windows: positions repeat, so they are summed one element at a time
            out.backend().elementwise().accumulate(Ops.at(g, viewShape, gst, g.offset), Ops.at(out, viewShape, viewStrides, viewOffset));
        } else {
            out.backend().elementwise().copy(Ops.at(g, viewShape, gst, g.offset), Ops.at(out, viewShape, viewStrides, viewOffset));
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
}
