package org.grad4j;

import org.grad4j.internal.Graph;
import org.grad4j.storage.DType;
import org.grad4j.storage.HeapStorage;
import org.grad4j.storage.Shapes;
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
        int[] strides = preservedStrides(a);
        Tensor made = Tensor.empty(a.shape.clone(), dtype, device);
        Tensor out = new Tensor(made.storage, a.shape.clone(), strides, 0);
        Tensor src = inMemoryOrderOf(c, strides).contiguousData();   // c's values in out's memory order
        copyElements(src.storage, src.offset, out.storage, out.numel());
        if (dtype.isFloatingPoint() && Graph.needsGrad(a)) {
            DType srcType = a.dtype;
            Graph.record(out, "ToCopyBackward0", (g, n) -> new Tensor[]{to(g[0], from, srcType)}, null, a);
        }
        return out;
    }

    /**
     * The strides of {@code to}'s copy of {@code a}, PyTorch's {@code empty_like(preserve_format)}: a non-overlapping
     * and dense tensor (transposed, permuted) keeps its strides; otherwise (gaps, overlaps) the layout that
     * {@code suggest_memory_format} names: channels-last when a 4-d (5-d) tensor's strides are channels-last-like,
     * else contiguous.
     */
    static int[] preservedStrides(Tensor a) {
        if (MemOverlap.isNonOverlappingAndDense(a)) return a.strides.clone();
        int[] order = a.dim() == 4 ? new int[]{1, 3, 2, 0} : a.dim() == 5 ? new int[]{1, 4, 3, 2, 0} : null;
        if (order == null || !stridesLikeChannelsLast(a.shape, a.strides, order)) return Shapes.contiguousStrides(a.shape);
        int[] st = new int[a.dim()];
        int s = 1;
        for (int d : order) {   // innermost first: C, then W, H (, D), N
            st[d] = s;
            s *= Math.max(1, a.shape[d]);
        }
        return st;
    }

    /** PyTorch's is_channels_last_strides_2d/3d: strides grow along {@code order} (C fastest), ambiguous cases are not. */
    private static boolean stridesLikeChannelsLast(int[] shape, int[] strides, int[] order) {
        if (strides[1] == 0) return false;   // trivial C dimension: NCHW by default
        long min = 0;
        for (int d : order) {
            if (shape[d] == 0 || strides[d] < min) return false;
            if (d == 0 && min == strides[1]) return false;   // N111-like: ambiguous, so contiguous
            min = strides[d];
            if (shape[d] > 1) min *= shape[d];
        }
        return true;
    }

    /** A view of {@code c} with its dims ordered by {@code strides}, outermost first: its row-major order is their memory order. */
    private static Tensor inMemoryOrderOf(Tensor c, int[] strides) {
        int n = strides.length;
        Integer[] perm = new Integer[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        java.util.Arrays.sort(perm, (x, y) -> Integer.compare(strides[y], strides[x]));   // stable: ties keep dim order
        boolean identity = true;
        int[] shape = new int[n], st = new int[n];
        for (int i = 0; i < n; i++) {
            identity &= perm[i] == i;
            shape[i] = c.shape[perm[i]];
            st[i] = c.strides[perm[i]];
        }
        return identity ? c : new Tensor(c.storage, shape, st, c.offset);
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
