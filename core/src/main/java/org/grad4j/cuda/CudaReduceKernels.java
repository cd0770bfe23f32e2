package org.grad4j.cuda;

import org.grad4j.kernels.ReduceKernels;
import org.grad4j.storage.DType;
import org.grad4j.storage.Storage;
import org.grad4j.storage.Strided;

import java.util.List;

/*
 * Wiring (CudaBackend): reduce() returns new CudaReduceKernels(deviceIndex, <the host-copy family>). It
 * launches KernelCatalog.reduce's two passes (partials per chunk, then the finish) with device scratch when
 * x and out are CudaStorages of this device, out has the dtype the kernels write and the reduced set is not
 * empty for max/min/argmax/argmin (the fallback raises the CPU's error there); otherwise it falls back.
 */

/**
 * Reductions over dims on one CUDA device: sum, prod, max/min, all/any, argmax/argmin in a deterministic
 * order fixed by the shapes (docs/cuda.md, "Summation orders"), and mean's scaling. Written, never run on a GPU.
 *
 * <pre>{@code
 * ReduceKernels k = new CudaReduceKernels(0, hostFamily);
 * k.reduce(ReduceKernels.Kind.SUM, x.strided(), new boolean[]{false, true}, out.storage());
 * }</pre>
 */
final class CudaReduceKernels extends CudaFamily implements ReduceKernels {
    private final ReduceKernels host;

    CudaReduceKernels(int deviceIndex, ReduceKernels hostFallback) { this(new DriverRuntime(deviceIndex), hostFallback); }

    CudaReduceKernels(DeviceRuntime rt, ReduceKernels hostFallback) {
        super(rt);
        this.host = hostFallback;
    }

    @Override
    public void reduce(Kind kind, Strided x, boolean[] mask, Storage out) {
        if (!covered(kind, x, mask, out)) { host.reduce(kind, x, mask, out); return; }
        if (!reduceOn(rt, kind, view(x), mask, rt.address(out))) host.reduce(kind, x, mask, out);
        keep(x, out);
    }

    /** Queues the reduction's launches with their scratch; false (nothing queued) when the catalog has no plan. */
    static boolean reduceOn(DeviceRuntime rt, Kind kind, DeviceView in, boolean[] mask, long out) {
        List<KernelLaunch> ls;
        try (DeviceRuntime.Scratch s = rt.scratch(KernelCatalog.reduceScratchBytes(kind, in, mask))) {
            try {
                ls = KernelCatalog.reduce(kind, in, mask, out, s.pointer(), 1.0);
            } catch (IllegalArgumentException notCovered) {   // more than 8 dims after coalescing
                return false;
            }
            for (KernelLaunch l : ls) rt.launch(l);
        }
        return true;
    }

    @Override
    public void scale(Storage out, double s) {
        if (onDevice(out) && floating(out.dtype())) rt.launch(KernelCatalog.scale(out.dtype(), rt.address(out), out.size(), s));
        else host.scale(out, s);
        keep(out);
    }

    /** Whether a kernel computes this reduction into {@code out} as the CPU would. */
    private boolean covered(Kind kind, Strided x, boolean[] mask, Storage out) {
        if (!onDevice(x.storage(), out) || mask.length != x.shape().length) return false;
        DType t = x.storage().dtype();
        long redN = 1;
        for (int d = 0; d < mask.length; d++) if (mask[d]) redN *= x.shape()[d];
        boolean needsElements = kind == Kind.MAX || kind == Kind.MIN || kind == Kind.ARGMAX || kind == Kind.ARGMIN;
        if (needsElements && redN == 0) return false;   // the CPU raises "no identity"
        return out.dtype() == outDtype(kind, t);
    }

    /** The dtype the kernels write for {@code kind} over {@code t}, or null when none reduces t that way. */
    static DType outDtype(Kind kind, DType t) {
        boolean logical = kind == Kind.ALL || kind == Kind.ANY;
        if ((t == DType.BOOL) != logical) return null;
        return switch (kind) {
            case ARGMAX, ARGMIN -> DType.INT64;
            case ALL, ANY -> DType.BOOL;
            case SUM, PROD -> floating(t) ? t : DType.INT64;
            case MAX, MIN -> t;
        };
    }
}
