package org.grad4j.kernels;

/** The CPU implementation of every kernel family. */
final class CpuBackend implements Backend {
    static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override
    public String deviceType() { return "cpu"; }

    @Override
    public ElementwiseKernels elementwise() { return CpuElementwiseKernels.INSTANCE; }

    @Override
    public MatmulKernels matmul() { return CpuMatmulKernels.INSTANCE; }

    @Override
    public NeuralKernels nn() { return NnKernels.INSTANCE; }

    @Override
    public DecompositionKernels linalg() { return CpuDecompositionKernels.INSTANCE; }
}
