package org.grad4j;

import org.grad4j.internal.Graph;
import org.grad4j.storage.CudaStorage;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Storage;

/**
 * Devices in ops: moving a tensor between devices ({@code to}) and the same-device rule every
 * multi-input op checks in {@link #common}, PyTorch's "Expected all tensors to be on the same device".
 */
final class DeviceOps {
    private DeviceOps() {}

    /** {@code a} on {@code device} in {@code dtype}: {@code a} itself when both already match. */
    static Tensor to(Tensor a, Device device, DType dtype) {
        Device from = a.device();
        if (from.equals(device)) return a.dtype == dtype ? a : UnaryOps.toDtype(a, dtype);
        Tensor c = OpSupport.cast(a, dtype);   // on the source device; no graph (recorded once below)
        if (!c.isContiguous()) c = c.contiguousData();
        Tensor out = Tensor.empty(a.shape.clone(), dtype, device);
        copyElements(c.storage, c.offset, out.storage, out.numel());
        if (dtype.isFloatingPoint() && Graph.needsGrad(a)) {
            DType srcType = a.dtype;
            Graph.record(out, "ToCopyBackward0", (g, n) -> new Tensor[]{to(g[0], from, srcType)}, null, a);
        }
        return out;
    }

    /** Copies {@code n} elements of {@code src} from {@code srcOffset} into {@code dst}[0, n), between any storage kinds (synchronous). */
    static void copyElements(Storage src, int srcOffset, Storage dst, int n) {
        if (n == 0) return;
        if (dst instanceof HeapStorage h) {
            src.copyTo(srcOffset, h.array(), 0, n);
        } else if (src instanceof HeapStorage h) {
            dst.copyFrom(0, h.array(), srcOffset, n);
        } else {
            Object tmp = HeapStorage.allocate(src.dtype(), n).array();
            src.copyTo(srcOffset, tmp, 0, n);
            dst.copyFrom(0, tmp, 0, n);
        }
    }

    /**
     * The device an op on {@code a} and {@code b} runs on: theirs when they share one; a 0-dim CPU tensor
     * (a scalar) goes with a tensor on any device, as in PyTorch. Otherwise PyTorch's error, naming the op.
     * Two type checks when both are CPU tensors.
     */
    static Tensor common(String op, Tensor a, Tensor b) {
        boolean ca = a.storage instanceof CudaStorage, cb = b.storage instanceof CudaStorage;
        if (!ca && !cb) return a;
        if (ca && cb) {
            if (((CudaStorage) a.storage).deviceIndex() == ((CudaStorage) b.storage).deviceIndex()) return a;
            throw mixed(op, a.device(), b.device());
        }
        Tensor cuda = ca ? a : b, cpu = ca ? b : a;
        if (cpu.shape.length == 0) return cuda;
        throw mixed(op, a.device(), b.device());
    }

    /** {@link #common} over several tensors (nulls skipped): the tensor whose device the outputs get. */
    static Tensor common(String op, Tensor... ts) {
        Tensor ref = null;
        for (Tensor t : ts) {
            if (t == null) continue;
            ref = ref == null ? t : common(op, ref, t);
        }
        return ref;
    }

    static IllegalArgumentException mixed(String op, Device a, Device b) {
        return new IllegalArgumentException(op + ": Expected all tensors to be on the same device, but found at least two devices, "
                + a + " and " + b + "! Fix: move the inputs to one device first, e.g. x.to(device) for each (0-dim CPU "
                + "tensors may stay as scalars)");
    }
}
