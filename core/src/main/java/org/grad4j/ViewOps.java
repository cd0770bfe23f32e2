package org.grad4j;

import org.grad4j.kernels.CpuKernels;
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

    /**
     * Zeros of {@code baseShape} with {@code g} written into the window (viewShape, viewStrides,
     * viewOffset) of its contiguous layout: the gradient of taking that window. Differentiable:
     * its own gradient takes the window again.
     */
    static Tensor embed(Tensor g, int[] baseShape, int[] viewShape, int[] viewStrides, int viewOffset) {
        Tensor out = Tensor.empty(baseShape.clone(), g.dtype);
        CpuKernels.copy(viewShape, g.storage, Shapes.broadcastStrides(g.shape, g.strides, viewShape), g.offset,
                out.storage, viewStrides, viewOffset);
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
