package org.grad4j.autograd;

import org.grad4j.Tensor;

/**
 * Options of {@code backward} and {@code Autograd.grad}, with PyTorch's defaults; each setter
 * returns a new value so that call sites read like keyword arguments.
 *
 * <pre>{@code
 * z.backward(GradOptions.defaults().createGraph(true));
 * Tensor[] g = Autograd.grad(new Tensor[]{y}, new Tensor[]{x}, GradOptions.defaults().retainGraph(true));
 * }</pre>
 *
 * @param gradients        gradient of each output (null entries: implicit ones for one-element outputs)
 * @param retainGraph      keep saved values for another backward; null means "same as createGraph"
 * @param createGraph      record the backward pass so gradients can be differentiated again
 * @param inputs           backward only: accumulate into these tensors' grads only (null: all leaves)
 * @param allowUnused      grad only: return null for inputs the outputs do not depend on
 * @param materializeGrads grad only: return zeros instead of null for unused inputs
 */
public record GradOptions(Tensor[] gradients, Boolean retainGraph, boolean createGraph, Tensor[] inputs,
                          boolean allowUnused, boolean materializeGrads) {

    private static final GradOptions DEFAULTS = new GradOptions(null, null, false, null, false, false);

    public static GradOptions defaults() { return DEFAULTS; }

    /** The gradient of a single output. */
    public GradOptions gradient(Tensor g) {
        return new GradOptions(g == null ? null : new Tensor[]{g}, retainGraph, createGraph, inputs, allowUnused, materializeGrads);
    }

    /** Gradients of several outputs ({@code grad_tensors} / {@code grad_outputs}). */
    public GradOptions gradients(Tensor... g) {
        return new GradOptions(g, retainGraph, createGraph, inputs, allowUnused, materializeGrads);
    }

    public GradOptions retainGraph(boolean on) {
        return new GradOptions(gradients, on, createGraph, inputs, allowUnused, materializeGrads);
    }

    public GradOptions createGraph(boolean on) {
        return new GradOptions(gradients, retainGraph, on, inputs, allowUnused, materializeGrads);
    }

    public GradOptions inputs(Tensor... in) {
        return new GradOptions(gradients, retainGraph, createGraph, in, allowUnused, materializeGrads);
    }

    public GradOptions allowUnused(boolean on) {
        return new GradOptions(gradients, retainGraph, createGraph, inputs, on, materializeGrads);
    }

    public GradOptions materializeGrads(boolean on) {
        return new GradOptions(gradients, retainGraph, createGraph, inputs, allowUnused || on, on);
    }

    /** The effective retain_graph (PyTorch: defaults to create_graph). */
    public boolean keepGraph() { return retainGraph != null ? retainGraph : createGraph; }
}
