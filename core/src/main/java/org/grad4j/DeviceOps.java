package org.grad4j;

import org.grad4j.internal.Graph;
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
        if (dst instanceof org.grad4j.storage.CudaStorage c && !(src instanceof HeapStorage) && srcOffset == 0 && n == src.size()
                && n == dst.size()) {
            c.copyFrom(src);   // one copy: off-heap (pinned) memory straight up, device to device on the device
            return;
        }
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

    /** See {@link org.grad4j.internal.Devices#common(String, Tensor, Tensor)}. */
    static Tensor common(String op, Tensor a, Tensor b) { return org.grad4j.internal.Devices.common(op, a, b); }

    /** See {@link org.grad4j.internal.Devices#common(String, Tensor...)}. */
    static Tensor common(String op, Tensor... ts) { return org.grad4j.internal.Devices.common(op, ts); }
}
