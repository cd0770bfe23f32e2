package org.grad4j.data;

import org.grad4j.Tensor;
import org.grad4j.Warnings;
import org.grad4j.storage.internal.CudaMemoryAccess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DataLoader's {@code pin_memory}: the CPU tensors of a batch copied into page-locked (pinned) host memory
 * from the CUDA driver, which the GPU's copy engine reads directly, so {@code batch.to(cuda)} makes one
 * copy. Tensors inside arrays, lists and maps are pinned too, as PyTorch's {@code pin_memory} walks them.
 */
final class PinnedBatches {
    private PinnedBatches() {}

    /** PyTorch's warning (torch/utils/data/dataloader.py) when pin_memory is asked for without an accelerator. */
    static final String NO_ACCELERATOR = "'pin_memory' argument is set as true but no accelerator is found, then device pinned "
            + "memory won't be used.";

    /** Whether pinned memory can be had; warns once (PyTorch's words) when not. */
    static boolean available() {
        boolean ok;
        try {
            ok = CudaMemoryAccess.get().pinnedAvailable();
        } catch (RuntimeException e) {
            ok = false;
        }
        if (!ok) Warnings.warnOnce("pin_memory", NO_ACCELERATOR);
        return ok;
    }

    /** {@code batch} with every CPU tensor in it replaced by a pinned copy. */
    @SuppressWarnings("unchecked")
    static Object pin(Object batch) {
        if (batch instanceof Tensor t) return pin(t);
        if (batch instanceof Tensor[] a) {
            Tensor[] out = new Tensor[a.length];
            for (int i = 0; i < a.length; i++) out[i] = a[i] == null ? null : pin(a[i]);
            return out;
        }
        if (batch instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(pin(o));
            return out;
        }
        if (batch instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(e.getKey(), pin(e.getValue()));
            return out;
        }
        return batch;
    }

    /** {@code t} in pinned host memory ({@link Tensor#pinMemory}, without autograd); {@code t} itself when not on the CPU. */
    static Tensor pin(Tensor t) {
        return t.isCuda() ? t : t.detach().pinMemory();
    }
}
