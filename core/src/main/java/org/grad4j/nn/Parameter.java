package org.grad4j.nn;

import org.grad4j.Tensor;

/**
 * {@code nn.Parameter}: in grad4j a parameter is a plain leaf {@link Tensor} that requires grad,
 * so optimizers take {@code List<Tensor>}. This class only creates one.
 *
 * <pre>{@code
 * Tensor w = Parameter.of(Grad4j.randn(3, 4));   // nn.Parameter(torch.randn(3, 4))
 * }</pre>
 */
public final class Parameter {
    private Parameter() {}

    /** A leaf sharing {@code data}'s storage that requires grad. */
    public static Tensor of(Tensor data) { return of(data, true); }

    public static Tensor of(Tensor data, boolean requiresGrad) {
        Tensor p = data.detach();
        return requiresGrad ? p.requiresGrad_(true) : p;
    }
}
