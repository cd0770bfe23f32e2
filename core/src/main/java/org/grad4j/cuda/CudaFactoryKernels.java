package org.grad4j.cuda;

import org.grad4j.kernels.FactoryKernels;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

/*
 * Wiring (CudaBackend): factory() returns new CudaFactoryKernels(deviceIndex, <the host-copy family>).
 * fill runs g4_fill on views of this device; arange, linspace and the Java-array copies have no kernel
 * (grad4j_kernels.cu has none) and fall back, i.e. are computed on the host and copied once.
 */

/**
 * Fills of new tensors on one CUDA device: constants by kernel, the rest through the host fallback.
 * Written, never run on a GPU.
 *
 * <pre>{@code
 * FactoryKernels k = new CudaFactoryKernels(0, hostFamily);
 * k.fill(out.strided(), 1.0);   // torch.ones on cuda: one g4_fill_f32 launch
 * }</pre>
 */
final class CudaFactoryKernels extends CudaFamily implements FactoryKernels {
    private final FactoryKernels host;

    CudaFactoryKernels(int deviceIndex, FactoryKernels hostFallback) { this(new DriverRuntime(deviceIndex), hostFallback); }

    CudaFactoryKernels(DeviceRuntime rt, FactoryKernels hostFallback) {
        super(rt);
        this.host = hostFallback;
    }

    @Override
    public void fill(Strided out, double value) {
        KernelLaunch l = onDevice(out) ? CudaElementwiseKernels.plan(() -> KernelCatalog.fill(view(out), value)) : null;
        if (l == null) host.fill(out, value); else rt.launch(l);
    }

    @Override
    public void arange(Storage out, long start, long step) { host.arange(out, start, step); }

    @Override
    public void arange(Storage out, double start, double step) { host.arange(out, start, step); }

    @Override
    public void linspace(Storage out, double start, double end) { host.linspace(out, start, end); }

    @Override
    public int copyFromJava(Object array, Storage out, int at, String op) { return host.copyFromJava(array, out, at, op); }

    @Override
    public Object copyToJava(Storage s, int from, int n) { return host.copyToJava(s, from, n); }
}
