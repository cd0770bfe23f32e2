package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.GLU(dim=-1)} as a module. */
public class GLU extends Module {
    public final int dim;

    public GLU() { this(-1); }

    public GLU(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) { return F.glu(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
