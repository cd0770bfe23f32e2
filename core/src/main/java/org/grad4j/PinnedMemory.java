package org.grad4j;

import org.grad4j.internal.Graph;
import org.grad4j.storage.OffHeapStorage;
import org.grad4j.storage.Shapes;
import org.grad4j.storage.Storage;
import org.grad4j.storage.internal.CudaMemoryAccess;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * {@link Tensor#pinMemory()} and {@link Tensor#isPinned()}: copies in page-locked (pinned) host memory from the
 * CUDA driver, which the GPU's copy engine reads directly, so a later {@code to(cuda)} makes one copy. A
 * storage is pinned when this class made it; views of it share it and are pinned too (PyTorch asks the
 * driver about the data pointer, which views share as well).
 */
final class PinnedMemory {
    private PinnedMemory() {}

    /** The storages made here, weakly (identity: storages do not override equals); freed with their tensors. */
    private static final Map<Storage, Boolean> PINNED = Collections.synchronizedMap(new WeakHashMap<>());

    static boolean isPinned(Tensor t) { return !t.isCuda() && PINNED.containsKey(t.storage); }

    /** PyTorch's pin_memory: {@code t} itself when already pinned, else a copy with its strides (contiguous if they overlap). */
    static Tensor pin(Tensor t) {
        if (t.isCuda()) {
            String type = t.typeName().replace("torch.", "").replace("Tensor", "");
            throw new IllegalArgumentException("pinMemory: cannot pin 'CUDA" + type + "Type' only dense CPU tensors can be pinned. "
                    + "Fix: a CUDA tensor needs no pinning; pin the CPU tensor before moving it (x.cpu().pinMemory())");
        }
        if (isPinned(t)) return t;
        if (!available()) {
            throw new IllegalStateException("pinMemory: Cannot access accelerator device when none is available. Fix: pinned memory "
                    + "comes from the CUDA driver; check Device.cudaIsAvailable() first and skip pinMemory() without one");
        }
        int[] strides = MemOverlap.mayOverlap(t.shape, t.strides) ? Shapes.contiguousStrides(t.shape) : t.strides.clone();
        long n = storageSize(t.shape, strides);
        long bytes = n * t.dtype.itemSize();
        MemorySegment seg = CudaMemoryAccess.get().allocatePinned(Math.max(1, bytes), Arena.ofAuto()).asSlice(0, bytes);
        OffHeapStorage s = OffHeapStorage.ofSegment(t.dtype, seg, false);
        PINNED.put(s, Boolean.TRUE);
        Tensor out = new Tensor(s, t.shape.clone(), strides, 0);
        if (t.numel() > 0) {
            Tensor values = t.detach();
            values.backend().elementwise().copy(values.strided(), out.strided());
        }
        if (t.dtype.isFloatingPoint() && Graph.needsGrad(t)) {
            Graph.record(out, "PinMemoryBackward0", (g, node) -> new Tensor[]{g[0]}, null, t);
        }
        return out;
    }

    /** Whether the driver (or the test emulation) can give pinned memory. */
    private static boolean available() {
        try {
            return CudaMemoryAccess.get().pinnedAvailable();
        } catch (RuntimeException e) {
            return false;   // no driver: the same answer as PyTorch without an accelerator
        }
    }

    /** Elements a storage needs for (shape, strides) at offset 0: PyTorch's computeStorageNbytes in elements. */
    private static long storageSize(int[] shape, int[] strides) {
        long last = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) return 0;
            last += (long) (shape[d] - 1) * strides[d];
        }
        return last + 1;
    }
}
