package org.grad4j.kernels;

/** The CPU implementation of every kernel family. */
final class CpuBackend implements Backend {
    static final CpuBackend INSTANCE = new CpuBackend();

    private final IndexKernels index = new CpuIndexKernels();
    private final CountingKernels counting = new CpuCountingKernels();

    private CpuBackend() {}

    @Override
    public String deviceType() { return "cpu"; }

    @Override
    public IndexKernels index() { return index; }

    @Override
    public CountingKernels counting() { return counting; }

    @Override
    public ReduceKernels reduce() { return CpuReduceKernels.INSTANCE; }

    @Override
    public SortScanKernels sortScan() { return CpuSortScanKernels.INSTANCE; }

    @Override
    public FactoryKernels factory() { return CpuFactoryKernels.INSTANCE; }

    @Override
    public RandomKernels random() { return CpuRandomKernels.INSTANCE; }

    @Override
    public ElementwiseKernels elementwise() { return CpuElementwiseKernels.INSTANCE; }

    @Override
    public MatmulKernels matmul() { return CpuMatmulKernels.INSTANCE; }

    @Override
    public NeuralKernels nn() { return NnKernels.INSTANCE; }

    @Override
    public DecompositionKernels linalg() { return CpuDecompositionKernels.INSTANCE; }
}
