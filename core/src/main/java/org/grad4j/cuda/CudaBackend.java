package org.grad4j.cuda;

import org.grad4j.kernels.Backend;
import org.grad4j.kernels.CountingKernels;
import org.grad4j.kernels.DecompositionKernels;
import org.grad4j.kernels.ElementwiseKernels;
import org.grad4j.kernels.FactoryKernels;
import org.grad4j.kernels.IndexKernels;
import org.grad4j.kernels.MatmulKernels;
import org.grad4j.kernels.NeuralKernels;
import org.grad4j.kernels.RandomKernels;
import org.grad4j.kernels.ReduceKernels;
import org.grad4j.kernels.SortScanKernels;

/**
 * The kernels of one CUDA device: what every tensor whose storage is a {@code CudaStorage} on that device
 * dispatches to. Today each family is the CPU's, run on host copies ({@link HostStaged}: the device storages of
 * a call are copied whole to heap mirrors, the CPU kernel runs on them, and they are copied back; synchronous
 * copies). Correct, and slow; device families (constructed as {@code new CudaXxxKernels(device, cpu.xxx())}, the CPU
 * family as their fallback) replace these fields one by one.
 *
 * <pre>{@code
 * Backend b = new CudaBackend(0);   // what Tensor.backend() returns for a tensor on cuda:0
 * }</pre>
 */
final class CudaBackend implements Backend {
    private final int device;
    private final IndexKernels index;
    private final CountingKernels counting;
    private final ReduceKernels reduce;
    private final SortScanKernels sortScan;
    private final FactoryKernels factory;
    private final RandomKernels random;
    private final ElementwiseKernels elementwise;
    private final MatmulKernels matmul;
    private final NeuralKernels nn;
    private final DecompositionKernels linalg;

    CudaBackend(int device) {
        this.device = device;
        Backend cpu = Backend.cpu();
        // the host-fallback families, staged through heap mirrors (HostStaged); device families plug in here, the
        // staged one as their fallback: new CudaElementwiseKernels(device, HostStaged.wrap(ElementwiseKernels.class,
        // cpu.elementwise())). A CPU family handed CudaStorages directly would copy one element at a time.
        this.index = HostStaged.wrap(IndexKernels.class, cpu.index());
        this.counting = HostStaged.wrap(CountingKernels.class, cpu.counting());
        this.reduce = HostStaged.wrap(ReduceKernels.class, cpu.reduce());
        this.sortScan = HostStaged.wrap(SortScanKernels.class, cpu.sortScan());
        this.factory = HostStaged.wrap(FactoryKernels.class, cpu.factory());
        // random fills run on the host with the CPU generator, so CPU and CUDA runs draw the same numbers
        this.random = HostStaged.wrap(RandomKernels.class, cpu.random());
        this.elementwise = HostStaged.wrap(ElementwiseKernels.class, cpu.elementwise());
        this.matmul = HostStaged.wrap(MatmulKernels.class, cpu.matmul());
        this.nn = HostStaged.wrap(NeuralKernels.class, cpu.nn());
        this.linalg = HostStaged.wrap(DecompositionKernels.class, cpu.linalg());
    }

    /** The CUDA device index. */
    int device() { return device; }

    @Override public String deviceType() { return "cuda"; }
    @Override public IndexKernels index() { return index; }
    @Override public CountingKernels counting() { return counting; }
    @Override public ReduceKernels reduce() { return reduce; }
    @Override public SortScanKernels sortScan() { return sortScan; }
    @Override public FactoryKernels factory() { return factory; }
    @Override public RandomKernels random() { return random; }
    @Override public ElementwiseKernels elementwise() { return elementwise; }
    @Override public MatmulKernels matmul() { return matmul; }
    @Override public NeuralKernels nn() { return nn; }
    @Override public DecompositionKernels linalg() { return linalg; }

    @Override public String toString() { return "CudaBackend(cuda:" + device + ")"; }
}
