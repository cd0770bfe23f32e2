package org.grad4j.cuda;

import org.grad4j.kernels.RandomKernels;
import org.grad4j.kernels.RandomSource;
import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;

/*
 * Wiring (CudaBackend): random() returns new CudaRandomKernels(deviceIndex, <the host-copy family>).
 * uniform and normal of float32/float64 storages of this device run Philox4x32-10 on the device, keyed by
 * one 63-bit draw from the generator (so manual_seed makes them reproducible, and the generator advances
 * by one draw per fill); randint and randperm fall back.
 * Choice for the orchestrator: the wiring branch documents that CUDA random fills give the CPU generator's
 * numbers (host fill + copy). Wiring this family instead gives PyTorch's behaviour (a device generator with
 * other numbers than the CPU's) and saves the host fill and copy; leave random() on the host to keep the former.
 */

/**
 * Random fills on one CUDA device. As in PyTorch, the numbers are not the CPU generator's: uniform and
 * normal are Philox4x32-10 of (key, element index), the key drawn once per fill from the CPU generator
 * (docs/cuda.md). Written, never run on a GPU.
 *
 * <pre>{@code
 * RandomKernels k = new CudaRandomKernels(0, hostFamily);
 * k.uniform(out, generatorSource);   // one g4_uniform_f32 launch
 * }</pre>
 */
final class CudaRandomKernels extends CudaFamily implements RandomKernels {
    private final RandomKernels host;

    CudaRandomKernels(int deviceIndex, RandomKernels hostFallback) { this(new DriverRuntime(deviceIndex), hostFallback); }

    CudaRandomKernels(DeviceRuntime rt, RandomKernels hostFallback) {
        super(rt);
        this.host = hostFallback;
    }

    @Override
    public void uniform(Storage out, RandomSource g) {
        if (!covered(out)) { host.uniform(out, g); return; }
        rt.launch(KernelCatalog.uniform(out.dtype(), rt.address(out), out.size(), key(g), 0, 0.0, 1.0));
    }

    @Override
    public void normal(Storage out, RandomSource g) {
        if (!covered(out)) { host.normal(out, g); return; }
        rt.launch(KernelCatalog.normal(out.dtype(), rt.address(out), out.size(), key(g), 0, 0.0, 1.0));
    }

    @Override
    public void randint(Storage out, long low, long high, RandomSource g) { host.randint(out, low, high, g); }

    @Override
    public void randperm(Storage out, RandomSource g) { host.randperm(out, g); }

    private boolean covered(Storage out) {
        return onDevice(out) && (out.dtype() == DType.FLOAT32 || out.dtype() == DType.FLOAT64);
    }

    /** The fill's Philox key: one draw of the generator. */
    static long key(RandomSource g) { return g.nextBounded(Long.MAX_VALUE); }
}
