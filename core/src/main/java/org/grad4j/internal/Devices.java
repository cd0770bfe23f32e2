package org.grad4j.internal;

import org.grad4j.Device;
import org.grad4j.Tensor;
import org.grad4j.storage.CudaStorage;

/**
 * The same-device rule, in one place for every package: ops whose inputs live on different devices fail
 * with PyTorch's message ("Expected all tensors to be on the same device, but found at least two
 * devices, cuda:0 and cpu!") preceded by the op's name; a 0-dim CPU tensor goes with any device (a scalar).
 */
public final class Devices {
    private Devices() {}

    /** The tensor of {@code a}, {@code b} whose device an op on both runs on (two type checks on the CPU path). */
    public static Tensor common(String op, Tensor a, Tensor b) {
        int ka = deviceKey(a), kb = deviceKey(b);
        if (ka == kb) return a;
        if (kb == -1 && b.dim() == 0) return a;   // a CPU scalar goes with a tensor on any device
        if (ka == -1 && a.dim() == 0) return b;
        throw mixed(op, a.device(), b.device());
    }

    /** {@link #common} over several tensors (nulls skipped): the tensor whose device the outputs get (null if all are null). */
    public static Tensor common(String op, Tensor... ts) {
        Tensor ref = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            ref = ref == null ? t : common(op, ref, t);
        }
        return ref;
    }

    /**
     * The strict rule of PyTorch's generated op wrappers (gather, scatter, index_select, index_add, take, ...):
     * every tensor argument on one device, no exception for 0-dim CPU tensors (only TensorIterator's
     * elementwise ops take those as scalars). Nulls are skipped; the first tensor's device is the one the
     * message names first, as PyTorch's "cuda:0 and cpu" names self first.
     *
     * <pre>{@code
     * Devices.same("gather", self, index);   // raises when index lives on another device than self
     * }</pre>
     */
    public static void same(String op, Tensor... ts) {
        Tensor first = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            if (first == null) first = t;
            else if (deviceKey(t) != deviceKey(first)) throw mixed(op, first.device(), t.device());
        }
    }

    /** -1 for host storages (heap, off-heap), else the CUDA device index: a cheap comparison on the CPU path. */
    private static int deviceKey(Tensor t) { return t.storage() instanceof CudaStorage c ? c.deviceIndex() : -1; }

    /** PyTorch's error for inputs on two devices, naming the op, with a Fix. */
    public static IllegalArgumentException mixed(String op, Device a, Device b) {
        return new IllegalArgumentException(op + ": Expected all tensors to be on the same device, but found at least two devices, "
                + a + " and " + b + "! Fix: move the inputs to one device first, e.g. x.to(device) for each (0-dim CPU "
                + "tensors may stay as scalars)");
    }
}
