package org.grad4j;

import org.grad4j.autograd.SavedTensor;

import org.grad4j.internal.Graph;
import org.grad4j.kernels.ScatterReduce;
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
        self.backend().index().gather(self.strided(), index.strided(), d, out.storage, "gather");
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
        out.backend().index().scatter(ScatterReduce.SUM, out.strided(), index.strided(), s.strided(), d, true, op);
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
        int[] outShape = self.shape.clone();
        if (outShape.length > 0) outShape[d] = idx.numel();
        Tensor out = Tensor.empty(outShape, self.dtype);
        self.backend().index().indexSelect(self.strided(), idx.strided(), d, out.strided(), op);
        if (Graph.needsGrad(self)) {
            int[] in = self.shape;
            SavedTensor si = Graph.save(index);
            Graph.record(out, "IndexSelectBackward0", (g, n) -> new Tensor[]{indexAdd(Tensor.zerosOf(in, g[0].dtype), d, si.unpack(), g[0])},
                    new SavedTensor[]{si}, self);
        }
        return out;
    }

    /** PyTorch's index_add check: self and source agree on every size but dim's (on all of them when one is 0-d). */
    private static void checkSlices(Tensor self, int d, Tensor src) {
        int[] a = self.shape, b = src.shape;
        if (a.length > 0 && b.length > 0) {
            a = ViewOps.remove(a, d);
            b = ViewOps.remove(b, d);
        }
        if (!java.util.Arrays.equals(a, b)) {
            throw new IllegalArgumentException("index_add(): source tensor shape must match self tensor shape, excluding the specified "
                    + "dimension. Got self.shape = " + Shapes.str(self.shape) + " source.shape = " + Shapes.str(src.shape)
                    + ". Fix: give source self's shape with the number of indices at dim " + d);
        }
    }

    /** Out-of-place index_add: a copy of self with src's slices added at the indexed positions of dim. */
    static Tensor indexAdd(Tensor self, int dim, Tensor index, Tensor src) {
        checkIndex(index, "index_add");
        int d = Shapes.wrapDim(dim, self.dim(), "index_add");
        Tensor idx = index.reshape(-1);
        int m = idx.numel();
        if (d != 0 && d >= src.dim()) {
            throw new IllegalArgumentException("index_add(): Indexing dim " + d + " is out of bounds of the source tensor with dim "
                    + src.dim() + ". Fix: give source as many dims as self " + Shapes.str(self.shape));
        }
        int srcLen = src.dim() == 0 ? 1 : src.shape[d];   // a 0-d source is one slice
        if (srcLen != m) {
            throw new IllegalArgumentException("index_add(): Number of indices (" + m + ") should be equal to source.size(dim) ("
                    + srcLen + ")");
        }
        checkSlices(self, d, src);
        Tensor out = Ops.copyOf(self);
        Tensor s = Ops.cast(src, self.dtype);
        out.backend().index().indexAdd(out.strided(), idx.strided(), s.strided(), d, "index_add");
        if (Graph.needsGrad(self, src)) {
            SavedTensor si = Graph.save(index);
            Graph.record(out, "IndexAddBackward0", (g, n) -> new Tensor[]{
                    n.needsInputGrad(0) ? g[0] : null,
                    n.needsInputGrad(1) ? indexSelect(g[0], d, si.unpack()) : null}, new SavedTensor[]{si}, self, src);
        }
        return out;
    }
}
