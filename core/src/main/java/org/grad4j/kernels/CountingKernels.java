package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * Counting kernels: unique, one_hot, bincount. Inputs are read in row-major order whatever their
 * strides; outputs are contiguous.
 *
 * <pre>{@code
 * long max = Backend.cpu().counting().maxNonNegative(x, "bincount");   // -1 when x is empty
 * }</pre>
 */
public interface CountingKernels {
    /** The largest value of the integer tensor x (-1 when empty); the first negative one raises {@code op}'s message. */
    long maxNonNegative(Strided x, String op);

    /** {@code out[i, x[i]] = 1} over x's elements, out contiguous int64 [x.numel(), classes] and zero before. */
    void oneHot(Strided x, int classes, Storage out);

    /** {@code out[x[i]] += 1} over x's elements (already checked to lie in out). */
    void bincount(Strided x, Storage out);

    /**
     * Numbers x's distinct values and writes each element's number to inverse (contiguous int64 of
     * x's numel); returns how many there are. {@code sorted}: numbered in ascending order (NaN last,
     * each NaN alone, -0 == 0), as torch.unique; otherwise runs of equal neighbours share a number,
     * as torch.unique_consecutive.
     */
    int uniqueInverse(Strided x, boolean sorted, Storage inverse);

    /** {@code counts[inverse[i]] += 1}, and {@code values[s]} = the first element of x numbered s. */
    void uniqueFill(Strided x, Storage inverse, Storage values, Storage counts);
}
