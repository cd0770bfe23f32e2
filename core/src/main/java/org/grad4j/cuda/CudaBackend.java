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
import org.grad4j.storage.internal.CudaMemoryAccess;

/**
 * The kernels of one CUDA device: what every tensor whose storage is a {@code CudaStorage} on that device
 * dispatches to. The hot families run grad4j's CUDA kernels ({@code CudaElementwiseKernels}, reduce, matmul
 * through cuBLAS or the own GEMM, nn, index, fills); each falls back, case by case, to the CPU family run on
 * host copies ({@link HostStaged}: the device storages of a call copied whole to heap mirrors, the CPU kernel
 * run on them, copied back), which is also what the other families (sort/scan, counting, decompositions) are.
 * Random fills stay on the host with the CPU generator so that CPU and CUDA runs draw the same numbers
 * ({@code CudaRandomKernels}, Philox on the device, is not wired: PyTorch's CUDA numbers differ from its CPU
 * numbers and grad4j keeps CPU's). With {@code -Dgrad4j.cuda.deviceKernels=false} every family is the host
 * one (to tell a kernel bug from a wiring bug, or on a driver that cannot load grad4j's kernels), as it is
 * while a test emulation stands in for the driver ({@code CudaMemoryAccess.emulate}).
 *
 * <pre>{@code
 * Backend b = new CudaBackend(0);   // what Tensor.backend() returns for a tensor on cuda:0
 * }</pre>
 */
final class CudaBackend implements Backend {
    private final int device;
    private final IndexKernels index, hostIndex;
    private final CountingKernels counting;
    private final ReduceKernels reduce, hostReduce;
    private final SortScanKernels sortScan;
    private final FactoryKernels factory, hostFactory;
    private final RandomKernels random;
    private final ElementwiseKernels elementwise, hostElementwise;
    private final MatmulKernels matmul, hostMatmul;
    private final NeuralKernels nn, hostNn;
    private final DecompositionKernels linalg;

    CudaBackend(int device) {
        this.device = device;
        Backend cpu = Backend.cpu();
        // host families staged through heap mirrors; a CPU family handed CudaStorages directly would copy one
        // element at a time
        this.hostIndex = HostStaged.wrap(IndexKernels.class, cpu.index());
        this.hostReduce = HostStaged.wrap(ReduceKernels.class, cpu.reduce());
        this.hostFactory = HostStaged.wrap(FactoryKernels.class, cpu.factory());
        this.hostElementwise = HostStaged.wrap(ElementwiseKernels.class, cpu.elementwise());
        this.hostMatmul = HostStaged.wrap(MatmulKernels.class, cpu.matmul());
        this.hostNn = HostStaged.wrap(NeuralKernels.class, cpu.nn());
        this.counting = HostStaged.wrap(CountingKernels.class, cpu.counting());
        this.sortScan = HostStaged.wrap(SortScanKernels.class, cpu.sortScan());
        this.random = HostStaged.wrap(RandomKernels.class, cpu.random());
        this.linalg = HostStaged.wrap(DecompositionKernels.class, cpu.linalg());
        // device families: launch when every operand is on this device and a kernel covers the case, else the host one
        this.index = new CudaIndexKernels(device, hostIndex);
        this.reduce = new CudaReduceKernels(device, hostReduce);
        this.factory = new CudaFactoryKernels(device, hostFactory);
        this.elementwise = new CudaElementwiseKernels(device, hostElementwise);
        this.matmul = new CudaMatmulKernels(device, hostMatmul);
        this.nn = new CudaNeuralKernels(device, hostNn);
    }

    /** The CUDA device index. */
    int device() { return device; }

    private static final boolean DEVICE_KERNELS = !"false".equalsIgnoreCase(System.getProperty("grad4j.cuda.deviceKernels"));

    /** True when ops must run on host copies: kernels switched off, or device memory emulated by a test. */
    private static boolean emulated() { return !DEVICE_KERNELS || CudaMemoryAccess.isEmulated(); }

    @Override public String deviceType() { return "cuda"; }
    @Override public IndexKernels index() { return emulated() ? hostIndex : index; }
    @Override public CountingKernels counting() { return counting; }
    @Override public ReduceKernels reduce() { return emulated() ? hostReduce : reduce; }
    @Override public SortScanKernels sortScan() { return sortScan; }
    @Override public FactoryKernels factory() { return emulated() ? hostFactory : factory; }
    @Override public RandomKernels random() { return random; }
    @Override public ElementwiseKernels elementwise() { return emulated() ? hostElementwise : elementwise; }
    @Override public MatmulKernels matmul() { return emulated() ? hostMatmul : matmul; }
    @Override public NeuralKernels nn() { return emulated() ? hostNn : nn; }
    @Override public DecompositionKernels linalg() { return linalg; }

    @Override public String toString() { return "CudaBackend(cuda:" + device + ")"; }
}
