package org.grad4j;

import org.grad4j.autograd.SavedTensor;

import org.grad4j.internal.Graph;
import org.grad4j.storage.Shapes;

/** Index-based ops: gather / scatter_add and index_select / index_add, each the other's gradient. */
final class IndexOps {
    private IndexOps() {}

    private static void checkIndex(Tensor index, String op) {
        if (index.dtype != DType.INT64 && index.dtype != DType.INT32) {
            throw new IllegalArgumentException(op + "(): Expected dtype int64 for index, got " + index.dtype
                    + ". Fix: index.toLong()");
        }
    }

    /** Calls {@code body(flatIndexPos, multiIndex)} for every element of {@code shape} in row-major order. */
    private interface Visit { void at(int k, int[] idx); }

    private static void forEach(int[] shape, Visit v) {
        int n = Shapes.numel(shape);
        int[] idx = new int[shape.length];
        for (int k = 0; k < n; k++) {
            v.at(k, idx);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
    }

    private static int offset(Tensor t, int[] idx) {
        int o = t.offset;
        for (int d = 0; d < idx.length; d++) o += idx[d] * t.strides[d];
        return o;
    }

    private static long indexValue(Tensor index, int[] idx, int size, int dim, String op) {
        long v = index.storage.getLong(offset(index, idx));
        if (v < 0 || v >= size) throw outOfBounds(op, v, dim, size);
        return v;
    }

    /**
     * PyTorch's gather/scatter message: their indices do not wrap, a negative one is an error (only
     * indexing with x.index(...) / indexPut and take count from the end).
     */
    static IndexOutOfBoundsException outOfBounds(String op, long v, int dim, int size) {
        return new IndexOutOfBoundsException(op + "(): index " + v + " is out of bounds for dimension " + dim + " with size " + size
                + ". Fix: " + fix(v, size, op));
    }

    /** PyTorch's index_select / index_add / embedding message, with the offending index and size added. */
    static IndexOutOfBoundsException outOfRangeInSelf(String op, long v, int dim, int size) {
        return new IndexOutOfBoundsException(op + "(): index out of range in self (index " + v + " for dimension " + dim
                + " with size " + size + "). Fix: " + fix(v, size, op));
    }

    private static String fix(long v, int size, String op) {
        return v < 0 ? "negative indices do not wrap around in " + op + " (as in PyTorch); use values in [0, " + size + "), e.g. add "
                + size + " to negative ones"
                : "use values in [0, " + size + ")" + (op.equals("embedding") ? "; num_embeddings must exceed the largest index" : "");
    }

    private static void checkGatherShapes(Tensor self, int dim, Tensor index, String op) {
        if (index.dim() != self.dim() && !(self.dim() == 0 && index.dim() <= 1)) {
            throw new IllegalArgumentException(op + "(): Index tensor must have the same number of dimensions as input tensor ("
                    + Shapes.str(index.shape) + " vs " + Shapes.str(self.shape) + ")");
        }
        for (int d = 0; d < index.dim(); d++) {
            if (d != dim && index.shape[d] > self.shape[d]) {
                throw new IllegalArgumentException(op + "(): Size does not match at dimension " + d + " expected index "
                        + Shapes.str(index.shape) + " to be smaller than self " + Shapes.str(self.shape)
                        + " apart from dimension " + dim);
            }
        }
    }

    static Tensor gather(Tensor self, int dim, Tensor index) {
        checkIndex(index, "gather");
        int d = Shapes.wrapDim(dim, self.dim(), "gather");
        checkGatherShapes(self, d, index, "gather");
        Tensor out = Tensor.empty(index.shape.clone(), self.dtype);
        int size = self.dim() == 0 ? 1 : self.shape[d];
        forEach(index.shape, (k, idx) -> {
            long v = indexValue(index, idx, size, d, "gather");
            int saved = idx[d];
            idx[d] = (int) v;
            int src = self.dim() == 0 ? self.offset : offset(self, idx);
            idx[d] = saved;
            if (self.dtype.isFloatingPoint()) out.storage.setDouble(k, self.storage.getDouble(src));
            else out.storage.setLong(k, self.storage.getLong(src));
        });
        if (Graph.needsGrad(self)) {
            int[] in = self.shape;
            SavedTensor si = Graph.save(index);
            Graph.record(out, "GatherBackward0", (g, n) -> new Tensor[]{scatterAdd(Tensor.zerosOf(in, g[0].dtype), d, si.unpack(), g[0])},
                    new SavedTensor[]{si}, self);
        }
        return out;
    }

    /** Out-of-place scatter_add: a copy of self with src added at the indexed positions. */
    static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) { return scatterAdd(self, dim, index, src, "scatter_add"); }

    /** scatter_add checked and reported as {@code op} (scatter builds on it). */
    static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src, String op) {
        checkIndex(index, op);
        int d = Shapes.wrapDim(dim, self.dim(), op);
        checkGatherShapes(self, d, index, op);
        for (int k = 0; k < index.dim(); k++) {
            if (index.shape[k] > src.shape[k]) {
                throw new IllegalArgumentException(op + "(): Expected index " + Shapes.str(index.shape)
                        + " to be smaller than src " + Shapes.str(src.shape));
            }
        }
        Tensor out = Ops.copyOf(Ops.cast(self, self.dtype));
        Tensor s = Ops.cast(src, self.dtype);
        int size = self.shape[d];
        forEach(index.shape, (k, idx) -> {
            int so = offset(s, idx);
            long v = indexValue(index, idx, size, d, op);
            int saved = idx[d];
            idx[d] = (int) v;
            int o = offset(out, idx);
            idx[d] = saved;
            if (out.dtype.isFloatingPoint()) out.storage.setDouble(o, out.storage.getDouble(o) + s.storage.getDouble(so));
            else out.storage.setLong(o, out.storage.getLong(o) + s.storage.getLong(so));
        });
        if (Graph.needsGrad(self, src)) {
            SavedTensor si = Graph.save(index);
            Graph.record(out, "ScatterAddBackward0", (g, n) -> new Tensor[]{
                    n.needsInputGrad(0) ? g[0] : null,
                    n.needsInputGrad(1) ? gather(g[0], d, si.unpack()) : null}, new SavedTensor[]{si}, self, src);
        }
        return out;
    }

    static Tensor indexSelect(Tensor self, int dim, Tensor index) { return indexSelect(self, dim, index, "index_select"); }

    /** index_select checked and reported as {@code op} (embedding builds on it). Indices must lie in [0, size). */
    static Tensor indexSelect(Tensor self, int dim, Tensor index, String op) {
        checkIndex(index, op);
        if (index.dim() > 1) throw new IllegalArgumentException(op + "(): Index is supposed to be a vector, got shape " + Shapes.str(index.shape));
        int d = Shapes.wrapDim(dim, self.dim(), op);
        Tensor idx = index.reshape(-1);
        int m = idx.numel();
        int size = self.dim() == 0 ? 1 : self.shape[d];
        int[] outShape = self.shape.clone();
        if (outShape.length > 0) outShape[d] = m;
        Tensor out = Tensor.empty(outShape, self.dtype);
        for (int i = 0; i < m; i++) {
            long v = idx.storage.getLong(idx.offset + i * (idx.strides.length == 0 ? 0 : idx.strides[0]));
            if (v < 0 || v >= size) throw outOfRangeInSelf(op, v, d, size);
            Tensor src = self.dim() == 0 ? self : self.detach().select(d, (int) v);
            Tensor dst = out.dim() == 0 ? out : out.select(d, i);
            org.grad4j.kernels.CpuKernels.copy(src.shape, src.storage, src.strides, src.offset, dst.storage, dst.strides, dst.offset);
        }
        if (Graph.needsGrad(self)) {
            int[] in = self.shape;
            SavedTensor si = Graph.save(index);
            Graph.record(out, "IndexSelectBackward0", (g, n) -> new Tensor[]{indexAdd(Tensor.zerosOf(in, g[0].dtype), d, si.unpack(), g[0])},
                    new SavedTensor[]{si}, self);
        }
        return out;
    }

    /** Out-of-place index_add: a copy of self with src's slices added at the indexed positions of dim. */
    static Tensor indexAdd(Tensor self, int dim, Tensor index, Tensor src) {
        checkIndex(index, "index_add");
        int d = Shapes.wrapDim(dim, self.dim(), "index_add");
        Tensor idx = index.reshape(-1);
        int m = idx.numel();
        if (src.dim() > 0 && src.shape[d] != m) {
            throw new IllegalArgumentException("index_add(): Number of indices (" + m + ") should be equal to source.size(dim) ("
                    + src.shape[d] + ")");
        }
        Tensor out = Ops.copyOf(self);
        Tensor s = Ops.cast(src, self.dtype);
        int size = self.shape[d];
        for (int i = 0; i < m; i++) {
            long v = idx.storage.getLong(idx.offset + i * idx.strides[0]);
            if (v < 0 || v >= size) throw outOfRangeInSelf("index_add", v, d, size);
            Tensor dst = out.select(d, (int) v);
            Tensor sl = s.detach().select(d, i);
            org.grad4j.kernels.CpuKernels.binary(org.grad4j.kernels.BinaryOp.ADD, dst.shape, dst.storage, dst.strides, dst.offset,
                    sl.storage, sl.strides, sl.offset, dst.storage, dst.strides, dst.offset);
        }
        if (Graph.needsGrad(self, src)) {
            SavedTensor si = Graph.save(index);
            Graph.record(out, "IndexAddBackward0", (g, n) -> new Tensor[]{
                    n.needsInputGrad(0) ? g[0] : null,
                    n.needsInputGrad(1) ? indexSelect(g[0], d, si.unpack()) : null}, new SavedTensor[]{si}, self, src);
        }
        return out;
    }
}
