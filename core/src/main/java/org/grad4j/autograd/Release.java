package org.grad4j.autograd;

import org.grad4j.Tensor;

import java.util.concurrent.atomic.LongAdder;

/**
 * Where the engine frees a gradient buffer it knows dead (the "deterministically where
 * grad4j knows a buffer is dead"): an owned gradient summed into another one in an
 * {@link InputBuffer} or into {@code .grad}, a node's owned incoming gradient once the node ran,
 * a gradient the engine reduced or cast into a new one. Owned means handed over (see
 * {@link Handover}): never a gradient a hook, a capture ({@code Autograd.grad}), retain_grad or
 * {@code .grad} saw. Nothing is released while a graph is being recorded (create_graph), since the
 * recorded graph may hold the buffer. On heap storage release is a no-op.
 *
 * <pre>{@code
 * Release.dead(g, sum);   // g was owned and is now summed into sum
 * }</pre>
 */
final class Release {
    private Release() {}

    /** Buffers released since the JVM started, of any storage kind (tests count them on the heap too). */
    static final LongAdder COUNT = new LongAdder();

    /** Releases {@code dead}'s storage unless grad mode records a graph or {@code keep} shares the storage. */
    static void dead(Tensor dead, Tensor keep) {
        if (GradMode.isEnabled() || dead.requiresGrad()) return;
        if (keep != null && keep.storage() == dead.storage()) return;
        dead.storage().release();
        COUNT.increment();
    }
}
