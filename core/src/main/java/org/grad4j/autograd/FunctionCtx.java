package org.grad4j.autograd;

import org.grad4j.Tensor;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import java.util.IdentityHashMap;

/**
 * The {@code ctx} of a custom {@link Function}: what forward leaves for backward.
 *
 * <pre>{@code
 * ctx.saveForBackward(x);              // in forward
 * Tensor x = ctx.savedTensors()[0];    // in backward
 * if (ctx.needsInputGrad(0)) { ... }
 * ctx.put("alpha", 0.5);               // any non-tensor value
 * }</pre>
 */
public final class FunctionCtx {
    private final boolean[] needsInputGrad;
    private SavedTensor[] saved;
    private final Map<String, Object> values = new HashMap<>();
    final Set<Tensor> dirty = Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<Tensor> nonDifferentiable = Collections.newSetFromMap(new IdentityHashMap<>());
    boolean materializeGrads = true;
    private boolean released;

    FunctionCtx(Tensor[] inputs) {
        needsInputGrad = new boolean[inputs.length];
        boolean on = GradMode.isEnabled();
        for (int i = 0; i < inputs.length; i++) needsInputGrad[i] = on && inputs[i] != null && inputs[i].requiresGrad();
    }

    /** Saves tensors (inputs or outputs of forward) for backward, with in-place checks on unpacking. */
    public void saveForBackward(Tensor... tensors) {
        saved = new SavedTensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) saved[i] = SavedTensor.save(tensors[i]);
    }

    /** The tensors given to {@link #saveForBackward}; fails after the graph was freed. */
    /** The saved tensors without version checks (empty once released), for pictures of the graph. */
    Tensor[] savedForDisplay() {
        if (saved == null) return new Tensor[0];
        Tensor[] out = new Tensor[saved.length];
        for (int i = 0; i < saved.length; i++) out[i] = saved[i] == null ? null : saved[i].peek();
        return out;
    }

    public Tensor[] savedTensors() {
        if (released) throw new IllegalStateException(SavedTensor.FREED_MESSAGE);
        if (saved == null) return new Tensor[0];
        Tensor[] out = new Tensor[saved.length];
        for (int i = 0; i < saved.length; i++) out[i] = saved[i].unpack();
        return out;
    }

    /** Whether input {@code i} needs a gradient (PyTorch's {@code ctx.needs_input_grad[i]}). */
    public boolean needsInputGrad(int i) { return needsInputGrad[i]; }

    /** Declares inputs that forward modified in place (PyTorch's {@code mark_dirty}). */
    public void markDirty(Tensor... tensors) { dirty.addAll(java.util.List.of(tensors)); }

    /** Declares outputs that have no gradient (e.g. indices), like {@code mark_non_differentiable}. */
    public void markNonDifferentiable(Tensor... tensors) { nonDifferentiable.addAll(java.util.List.of(tensors)); }

    /** When false, backward receives null instead of zeros for outputs that got no gradient. */
    public void setMaterializeGrads(boolean on) { materializeGrads = on; }

    /** Stores any value for backward (PyTorch code sets attributes on ctx). */
    public void put(String key, Object value) { values.put(key, value); }

    @SuppressWarnings("unchecked")
    public <T> T get(String key) { return (T) values.get(key); }

    void release() {
        released = true;
        if (saved != null) for (SavedTensor s : saved) s.release();
    }
}
