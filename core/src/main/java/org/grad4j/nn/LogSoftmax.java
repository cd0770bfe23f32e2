package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.LogSoftmax(dim=1)} as a module. */
public class LogSoftmax extends Module {
    public final int dim;

    public LogSoftmax() { this(1); }

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) { return F.logSoftmax(input, dim); }

    @Override
    protected String extraRepr() { return "dim=" + dim; }
}
