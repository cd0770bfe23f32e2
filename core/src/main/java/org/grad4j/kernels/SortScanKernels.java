package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * Ops along one dim that see a whole line at a time: scans (cumsum, cumprod), the stable sort
 * (sort, argsort, topk) and median's pick. The op wraps the dim, checks sizes, allocates the
 * contiguous outputs and records autograd; the kernel reads any strided input.
 *
 * <pre>{@code
 * // values and indices: contiguous, x's shape (indices int64)
 * backend.sortScan().sort(x, 1, false, values, indices);
 * }</pre>
 */
public interface SortScanKernels {
    /** The inclusive scans. */
    enum Scan { SUM, PROD }

    /**
     * Inclusive scan of {@code x} along {@code dim} into the contiguous {@code out} of x's shape and
     * dtype: floating lines accumulate in double (each prefix rounded to out's dtype), others in long.
     * A 0-d x is one line of one element.
     */
    void scan(Scan kind, Strided x, int dim, Storage out);

    /**
     * Stable sort of every line of {@code x} along {@code dim}: {@code values} (x's dtype) and int64
     * {@code indices} (positions in the line), both contiguous of x's shape. NaN sorts above
     * everything (first when descending) and -0 equals 0, as in PyTorch.
     */
    void sort(Strided x, int dim, boolean descending, Storage values, Storage indices);

    /**
     * Median of every line along {@code dim} (non-empty): the lower of the two middle values and
     * its index into the contiguous {@code values}/{@code indices} of x's shape without dim. A line
     * holding NaN gives NaN at its first NaN; with {@code ignoreNan} (nanmedian) the lower middle of
     * the other values, and NaN at index 0 when all are NaN.
     */
    void median(Strided x, int dim, boolean ignoreNan, Storage values, Storage indices);
}
