package org.grad4j.autograd;

import org.grad4j.Tensor;

import java.util.Arrays;

/**
 * The gradients waiting for one node, one slot per forward output of the node (PyTorch's
 * InputBuffer): gradients that arrive for a slot from several paths are summed here.
 *
 * <p>The buffer knows which of its tensors it owns, i.e. which nothing outside the engine can
 * reach: one it allocated itself (a sum), or one whose producer handed it over as fresh (see
 * {@link Handover}). Only an owned tensor is written in place; a gradient a hook kept, the user's
 * {@code gradient=} argument or another tensor's {@code .grad} are never owned, so the buffer sums
 * out of place into a new tensor, which it then owns. Ownership is this explicit flag, never
 * decided by comparing storages. An owned gradient summed into another is dead: its storage is
 * released at once ({@link Release}), so off-heap memory is reused without waiting for the GC.
 *
 * <pre>{@code
 * InputBuffer b = new InputBuffer(1);
 * b.add(0, userGradient, false);   // kept as is, not owned
 * b.add(0, fresh, true);           // summed into fresh in place: the buffer owns fresh
 * }</pre>
 */
final class InputBuffer {
    private final Tensor[] grads;
    private final boolean[] owned;

    InputBuffer(int size) {
        grads = new Tensor[size];
        owned = new boolean[size];
    }

    /**
     * Adds {@code grad} to slot {@code slot}. {@code gradOwned}: the caller hands {@code grad}
     * over, nothing else references it. Like PyTorch's accumulate: in place only while no graph is
     * being recorded (create_graph records the sum instead), into an owned, contiguous tensor of
     * the sum's shape and dtype.
     */
    void add(int slot, Tensor grad, boolean gradOwned) {
        Tensor old = grads[slot];
        if (old == null) {
            grads[slot] = grad;
            owned[slot] = gradOwned;
        } else if (GradMode.isEnabled()) {
            grads[slot] = old.add(grad);
            owned[slot] = true;
        } else if (owned[slot] && canAccumulateInPlace(old, grad)) {
            org.grad4j.internal.Graph.addInPlaceUntracked(old, grad);
            if (gradOwned) Release.dead(grad, old);
        } else if (gradOwned && canAccumulateInPlace(grad, old)) {
            org.grad4j.internal.Graph.addInPlaceUntracked(grad, old);   // a + b == b + a exactly: the same sum, no allocation
            if (owned[slot]) Release.dead(old, grad);
            grads[slot] = grad;
            owned[slot] = true;
        } else {
            Tensor sum = old.add(grad);
            if (owned[slot]) Release.dead(old, sum);
            if (gradOwned) Release.dead(grad, sum);
            grads[slot] = sum;
            owned[slot] = true;
        }
    }

    /** {@code into += other} gives the same tensor as {@code into.add(other)}: no promotion, no broadcast. */
    private static boolean canAccumulateInPlace(Tensor into, Tensor other) {
        return !into.requiresGrad() && into.dtype() == other.dtype() && into.isContiguous()
                && Arrays.equals(into.shape(), other.shape());
    }

    /** The slots' gradients (null where none arrived); pre-hooks may replace entries of this array. */
    Tensor[] grads() { return grads; }

    /** Whether slot {@code slot}'s gradient is owned by this buffer (then its receiver may own it in turn). */
    boolean owned(int slot) { return owned[slot]; }

    int size() { return grads.length; }
}
