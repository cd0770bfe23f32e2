package org.grad4j.autograd;

/** Returned by hook registrations; {@link #remove()} unregisters the hook (PyTorch's RemovableHandle). */
@FunctionalInterface
public interface RemovableHandle extends AutoCloseable {
    void remove();

    /** Same as {@link #remove()}, so a hook can live for a try-with-resources block. */
    @Override
    default void close() { remove(); }
}
