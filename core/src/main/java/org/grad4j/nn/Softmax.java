package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Softmax(dim=1)} as a module. */
public class Softmax extends Module {
    public final int dim;

    public Softmax() { this(1); }

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) { return F.softmax(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
