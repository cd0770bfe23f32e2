package org.grad4j.nn;

import org.grad4j.Tensor;

/** {@code nn.Unflatten(dim, unflattened_size)}: splits one dim into several. */
public class Unflatten extends Module {
    public final int dim;
    public final int[] unflattenedSize;

    public Unflatten(int dim, int... unflattenedSize) {
        this.dim = dim;
        this.unflattenedSize = unflattenedSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) { return input.unflatten(dim, unflattenedSize); }

    @Override
    protected String extraRepr() { return "dim=" + dim + ", unflattened_size=" + tuple(unflattenedSize); }
}
