package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

import java.util.function.DoubleUnaryOperator;

/**
 * Elementwise kernels: copy/cast, fill, unary and binary maps, clamp, where, axpy and the
 * finiteness scans. Every operand is a {@link Strided} view whose strides are already broadcast
 * to the iteration shape, which is the output's ({@code dst}/{@code out}) shape; ops keep the
 * shape and dtype checks, kernels only loop.
 *
 * <pre>{@code
 * Backend.cpu().elementwise().copy(src.strided(), out.strided());   // out = cast(src)
 * }</pre>
 */
public interface ElementwiseKernels {
    /** dst = cast(src) over dst's shape; works across dtypes. */
    void copy(Strided src, Strided dst);

    /** Sets every element of dst to {@code value} converted to dst's dtype. */
    void fill(Strided dst, double value);

    /** out = op(a, b); a and b share out's dtype, or a common dtype with a BOOL out for comparisons. */
    void binary(BinaryOp op, Strided a, Strided b, Strided out);

    /** out = op(in); in and out share a dtype. */
    void unary(UnaryOp op, Strided in, Strided out);

    /** out = clamp(in, lo, hi); a NaN bound means "no bound", NaN inputs stay NaN. */
    void clamp(Strided in, Strided out, double lo, double hi);

    /** out (contiguous, cond's shape) = cond ? a : b; a, b and out share a dtype. */
    void where(Strided cond, Strided a, Strided b, Storage out);

    /** y[yo + i] += alpha * x[xo + i] for i < n (float32 or float64 storages of one dtype), one rounding. */
    void axpy(Storage y, int yo, double alpha, Storage x, int xo, int n);

    /** out (contiguous, in's shape and dtype) = f(in) element by element, through doubles. */
    void map(Strided in, Storage out, DoubleUnaryOperator f);

    /** dst += src one element at a time in row-major order, so positions dst repeats (overlapping windows) sum. */
    void accumulate(Strided src, Strided dst);

    /** Whether x holds a NaN. */
    boolean anyNaN(Strided x);

    /**
     * Index i < n of the first NaN or infinity at s[offset + i] (n elements in a row), or -1; always -1
     * for integer dtypes. Allocation free on the heap: NaN/Inf check mode runs it after every op.
     */
    int firstNonFinite(Storage s, int offset, int n);

    /**
     * Row-major index of x's first integer element v with {@code v != allowed} and v outside [lo, hi), or -1:
     * the range check of class-index targets ({@code allowed} is an ignore_index).
     */
    int firstOutOfRange(Strided x, long lo, long hi, long allowed);

    /** x's elements in row-major order as a new Java array of its dtype's type ({@code double[]} for FLOAT64...). */
    Object toArray(Strided x);

    /** Writes the contiguous rows x cols mask {@code lower ? j - i <= k : j - i >= k} (tril/triu) into a BOOL storage. */
    void triangleMask(Storage mask, int rows, int cols, int k, boolean lower);
}
