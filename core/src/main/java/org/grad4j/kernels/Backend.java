package org.grad4j.kernels;

/**
 * The kernels of one device type: the seam between ops (shapes, dtypes, autograd) and the loops
 * that touch memory. Ops above the seam call a backend and never see an array nor loop over
 * elements; each family of kernels (index, sort/scan, ...) is an interface of its own that a
 * backend returns, so a device implements the families one by one.
 *
 * <pre>{@code
 * Backend cpu = Backend.cpu();   // what every CPU tensor dispatches to
 * }</pre>
 */
public interface Backend {
    /** The device type this backend runs on, as PyTorch names it ({@code "cpu"}, {@code "cuda"}). */
    String deviceType();

    /** gather/scatter, index_select/index_add, nonzero and advanced indexing's index arithmetic. */
    IndexKernels index();

    /** unique, one_hot, bincount. */
    CountingKernels counting();

    /** Reductions over dims: sum, prod, max/min, all/any, argmax/argmin. */
    ReduceKernels reduce();

    /** Scans and sorts along one dim: cumsum, cumprod, sort, median. */
    SortScanKernels sortScan();

    /** Fills of new tensors: constants, ranges, Java arrays. */
    FactoryKernels factory();

    /** Random fills driven by a generator: uniform, normal, integers, permutations. */
    RandomKernels random();

    /** Copy/cast, fill, unary/binary maps, where, axpy, finiteness scans. */
    ElementwiseKernels elementwise();

    /** Matrix products (mm, bmm). */
    MatmulKernels matmul();

    /** im2col/col2im, convolution, pooling, batch norm, ReLU's gradient. */
    NeuralKernels nn();

    /** Inverse, determinant, solve and decompositions of batches of matrices. */
    DecompositionKernels linalg();

    /** The CPU backend: Java loops (SIMD through the Vector API where it pays) over heap or off-heap storage. */
    static Backend cpu() { return CpuBackend.INSTANCE; }
}
