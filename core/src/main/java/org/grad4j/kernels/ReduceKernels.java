package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/**
 * Reductions over a set of dims (sum, prod, max/min, all/any, argmax/argmin): the loops behind
 * {@code sum}, {@code mean}, {@code prod}, {@code amax}, {@code max(dim)}, {@code argmax}, {@code all}...
 * The op checks dims and dtypes and allocates the output; the kernel reads any strided input.
 *
 * <pre>{@code
 * // out: contiguous, of the shape x has after dropping the reduced dims
 * backend.reduce().reduce(ReduceKernels.Kind.SUM, x, new boolean[]{false, true}, out);
 * }</pre>
 */
public interface ReduceKernels {
    /** What a reduction computes; ARGMAX/ARGMIN write int64 indices into the flattened reduced dims. */
    enum Kind { SUM, PROD, MAX, MIN, ALL, ANY, ARGMAX, ARGMIN }

    /**
     * Reduces the dims flagged in {@code mask} of {@code x} into the contiguous {@code out}, whose
     * element order is the kept dims in order. Floating sums and products accumulate in double
     * (large float32 sums stay exact); MAX/MIN propagate the first NaN; ARGMAX/ARGMIN return the
     * first extremum, or the first NaN.
     */
    void reduce(Kind kind, Strided x, boolean[] mask, Storage out);

    /**
     * Multiplies every element of the floating storage {@code out} by {@code s}, rounding each
     * product to out's dtype: mean's division of a sum by the count.
     */
    void scale(Storage out, double s);
}
