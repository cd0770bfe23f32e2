package org.grad4j.autograd;

import org.grad4j.Tensor;
import org.grad4j.storage.Storage;

/**
 * Which gradients a node hands over to the engine as its own: PyTorch steals a gradient whose use
 * count is 1; Java has no use counts, so ownership is explicit. Before a library formula runs, the
 * engine opens an allocation generation ({@link Storage#openGeneration}) and stamps the incoming
 * gradients its buffer owned with it (the buffer gives them up to the node). A returned tensor is
 * handed over when its storage carries that generation (the formula allocated it, or it is an
 * owned incoming gradient passed on), it is the whole of that storage, and no other output of the
 * node touches the same storage. Saved values, a user's tensors and gradients a hook saw carry an
 * older generation, so they are never handed over.
 */
final class Handover {
    private Handover() {}

    /** Re-stamps the gradients the buffer owned: the node may pass them on as its own. */
    static void giveToNode(InputBuffer buffer, Tensor[] grads, long generation) {
        if (buffer == null) return;
        for (int i = 0; i < grads.length && i < buffer.size(); i++) {
            if (grads[i] != null && buffer.owned(i)) grads[i].storage().setGeneration(generation);
        }
    }

    /**
     * Per output: whether the node hands it over (see the class comment). Two passes count how
     * many outputs touch each storage of this generation (stamp -generation for one, 0 for more),
     * without comparing storages; the stamp is then cleared so that nothing is handed over twice.
     */
    static boolean[] fromNode(Tensor[] outs, long generation) {
        if (outs == null) return null;
        boolean[] r = null;
        for (Tensor o : outs) {
            if (o == null) continue;
            Storage s = o.storage();
            long g = s.generation();
            if (g == generation) s.setGeneration(-generation);
            else if (g == -generation) s.setGeneration(0);
        }
        for (int i = 0; i < outs.length; i++) {
            Tensor o = outs[i];
            if (o == null) continue;
            Storage s = o.storage();
            if (s.generation() != -generation) continue;
            s.setGeneration(0);
            if (isWholeStorage(o) && !o.requiresGrad()) {
                if (r == null) r = new boolean[outs.length];
                r[i] = true;
            }
        }
        return r;
    }

    /**
     * Whether {@code validated}, made from {@code raw} by the engine (summed to the input's shape
     * or cast) in generation {@code generation}, is owned: a new tensor is; a view of {@code raw}
     * is when {@code raw} was and it still covers the whole storage.
     */
    static boolean afterValidation(Tensor validated, long generation, boolean rawOwned) {
        Storage s = validated.storage();
        if (s.generation() == generation) {
            s.setGeneration(0);
            return isWholeStorage(validated);
        }
        return rawOwned && isWholeStorage(validated);
    }

    /** All of its storage, in some order (a transposed result such as MmBackward's for {@code w.t()} counts). */
    static boolean isWholeStorage(Tensor t) {
        return t.storageOffset() == 0 && t.storage().size() == t.numel();
    }
}
