package org.grad4j.kernels;

import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/** The CPU matrix products: packed, blocked, SIMD and multi-threaded ({@link Gemm} through {@link CpuKernels}). */
final class CpuMatmulKernels implements MatmulKernels {
    static final CpuMatmulKernels INSTANCE = new CpuMatmulKernels();

    private CpuMatmulKernels() {}

    @Override
    public void gemm(Strided a, Strided b, Storage c) {
        int[] as = a.strides(), bs = b.strides();
        CpuKernels.gemm(a.shape()[0], b.shape()[1], a.shape()[1], a.storage(), a.offset(), as[0], as[1],
                b.storage(), b.offset(), bs[0], bs[1], c, 0);
    }

    @Override
    public void gemmBatched(Strided a, Strided b, Storage c) {
        int[] as = a.strides(), bs = b.strides();
        CpuKernels.gemmBatched(a.shape()[0], a.shape()[1], b.shape()[2], a.shape()[2],
                a.storage(), a.offset(), as[0], as[1], as[2], b.storage(), b.offset(), bs[0], bs[1], bs[2], c, 0);
    }
}
