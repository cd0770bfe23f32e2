package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * Index kernels: the element loops of gather/scatter, index_select/index_add, nonzero and the
 * index arithmetic behind advanced indexing and take. Index operands are int64 or int32 of any
 * strides; every index is range-checked per element, in row-major order, and a bad one raises
 * {@link IndexErrors}' message for {@code op}. Shape and dtype checks stay with the ops.
 *
 * <pre>{@code
 * // out (contiguous, index's shape) = self.gather(1, index)
 * Backend.cpu().index().gather(self, index, 1, out, "gather");
 * }</pre>
 */
public interface IndexKernels {
    /**
     * {@code out[i...] = self[i... with i[dim] = index[i...]]} for every element of index; {@code out}
     * is contiguous with index's shape and self's dtype. A 0-d self is read at its offset.
     */
    void gather(Strided self, Strided index, int dim, Storage out, String op);

    /**
     * For every element of index in row-major order, combines {@code src[i...]} into
     * {@code out[i... with i[dim] = index[i...]]} with {@code reduce}. For AMAX/AMIN without
     * {@code includeSelf}, the first element scattered to a target replaces it.
     */
    void scatter(ScatterReduce reduce, Strided out, Strided index, Strided src, int dim, boolean includeSelf, String op);

    /** {@code out.select(dim, i) = self.select(dim, index[i])} for the 1-d index; 0-d self and out are whole. */
    void indexSelect(Strided self, Strided index, int dim, Strided out, String op);

    /** {@code out.select(dim, index[i]) += src.select(dim, i)} for the 1-d index, in order. */
    void indexAdd(Strided out, Strided index, Strided src, int dim, String op);

    /** Number of elements of x that are not zero (NaN counts). */
    int countNonzero(Strided x);

    /** Writes the row-major coordinates of x's nonzero elements into out, contiguous int64 [count, x.dim()]. */
    void nonzero(Strided x, Storage out);

    /**
     * Advanced indexing: {@code lin[j] += wrap(index[j]) * stride} over index's elements in row-major
     * order (lin is contiguous int64 of index's numel); negative values count from the end of
     * {@code size}, others outside raise PyTorch's message for dimension {@code dim}.
     */
    void addLinearIndex(Strided index, int dim, int size, long stride, Storage lin);

    /**
     * take: {@code out[j] = wrap(index[j])} into a flattened tensor of {@code n} elements of shape
     * {@code shape} (for the message); out is contiguous int64 of index's numel.
     */
    void takeIndex(Strided index, int n, int[] shape, Storage out);

    /**
     * Marks (bool, contiguous, index's shape) the elements of index that are the last, in row-major
     * order, to target their position {@code i... with i[dim] = index[i...]}: the writes that win
     * when a scatter or index_put writes duplicates. Indices must lie in [0, size).
     */
    void lastWrites(Strided index, int dim, int size, Storage mask, String op);
}
