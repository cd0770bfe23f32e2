package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Softmin(dim=1)} as a module. */
public class Softmin extends Module {
    public final int dim;

    public Softmin() { this(1); }

    public Softmin(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) { return F.softmin(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
