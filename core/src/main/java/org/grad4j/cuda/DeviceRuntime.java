package org.grad4j.cuda;

import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;

/**
 * What the device kernel families ({@link CudaElementwiseKernels}, {@link CudaReduceKernels}...) need of
 * one CUDA device: which storages live on it, launches on its stream, scratch memory, a few small copies and
 * cuBLAS. {@link DriverRuntime} is the real one; tests pass a fake that records launches, so the families'
 * decisions (launch or fall back, and with which arguments) are tested on machines without a GPU.
 *
 * <pre>{@code
 * DeviceRuntime rt = new DriverRuntime(0);
 * long p = rt.address(storage);   // -1 when storage is not a CudaStorage of device 0
 * }</pre>
 */
interface DeviceRuntime {
    /** The device index. */
    int device();

    /** The device address of element 0 of {@code s} when it is a CudaStorage of this device, else -1. */
    long address(Storage s);

    /** Queues {@code l} on the device's stream; an empty launch ({@code gridX == 0}) is skipped. */
    void launch(KernelLaunch l);

    /** Device scratch of at least {@code bytes} (uninitialized), back to the cache on close. */
    Scratch scratch(long bytes);

    /** Queues writing {@code values} (as longs, 8 bytes each) at {@code pointer}; returns when the host copy is taken. */
    void writeLongs(long pointer, long... values);

    /** Queues writing {@code values} (4 bytes each) at {@code pointer}. */
    void writeFloats(long pointer, float... values);

    /** Reads {@code n} int64 at {@code pointer}, waiting for the work queued before. */
    long[] readLongs(long pointer, int n);

    /** Reads {@code n} elements of dtype {@code t} (float32 or float64) at {@code pointer} as doubles, waiting. */
    double[] readDoubles(long pointer, int n, DType t);

    /** Whether cuBLAS is there ({@link CuBlas#available()}). */
    boolean cublas();

    /** Row-major strided-batched GEMM through cuBLAS, C = op(A) op(B) (alpha 1, beta 0); see {@link CuBlas#gemmStridedBatched}. */
    void cublasGemm(boolean transA, boolean transB, int m, int n, int k, long a, int lda, long strideA, long b, int ldb,
                    long strideB, long c, int ldc, long strideC, int batch, DType t);

    /** Device memory a family uses during one call. */
    interface Scratch extends AutoCloseable {
        long pointer();

        @Override
        void close();
    }
}
