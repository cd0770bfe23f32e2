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
    public Tensor forward(Tensor input) {
        int r = input.dim(), d = dim < 0 ? dim + r : dim;
        int[] sh = input.shape();
        int[] out = new int[r - 1 + unflattenedSize.length];
        int k = 0;
        for (int i = 0; i < r; i++) {
            if (i == d) for (int u : unflattenedSize) out[k++] = u;
            else out[k++] = sh[i];
        }
        return input.reshape(out);
    }

    @Override
    protected String extraRepr() { return "dim=" + dim + ", unflattened_size=" + tuple(unflattenedSize); }
}
