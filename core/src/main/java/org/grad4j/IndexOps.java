package org.grad4j;

import org.grad4j.autograd.SavedTensor;
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
        if (self.dim() > 1 && src.dim() != self.dim()) {
            throw new IllegalArgumentException("index_add(): When source and destination are not scalars, their dimensionality must match. "
                    + "Source dimensionality (" + src.dim() + "), destination dimensionality (" + self.dim() + "). Fix: give source "
                    + "self's shape " + Shapes.str(self.shape) + " with size " + m + " at dim " + d);
        }
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
