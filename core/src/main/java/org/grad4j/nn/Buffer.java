package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.Buffer} (PyTorch 2.5): marks a tensor as a buffer, so that a {@link Module} field
 * holding it is registered under the field's name, like {@link Module#registerBuffer}. Buffers
 * are state that is not trained (BatchNorm's running statistics); persistent ones go into the
 * state dict.
 *
 * <pre>{@code
 * class Counter extends Module {
 *     final Tensor steps = Buffer.of(Grad4j.zeros(1));                // in the state dict
 *     final Tensor scratch = Buffer.of(Grad4j.zeros(4), false);       // persistent=False
 * }
 * new Counter().stateDict().keySet();                                  // [steps]
 * }</pre>
 */
public final class Buffer {
    private Buffer() {}

    /** A persistent buffer sharing {@code data}'s storage (detached, keeping requires_grad). */
    public static Tensor of(Tensor data) { return of(data, true); }

    /** A buffer; a non-persistent one is left out of the state dict. */
    public static Tensor of(Tensor data, boolean persistent) {
        Tensor b = data.detach();
        if (data.requiresGrad()) b.requiresGrad_(true);
        Parameter.mark(b, persistent ? Parameter.Role.BUFFER : Parameter.Role.NON_PERSISTENT_BUFFER);
        return b;
    }
}
