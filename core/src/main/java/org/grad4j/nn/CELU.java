package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.CELU(alpha=1.0)} as a module. */
public class CELU extends Module {
    public final double alpha;

    public CELU() { this(1.0); }

    public CELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor input) { return F.celu(input, alpha); }

    @Override
    protected String extraRepr() { return "alpha=" + pyFloat(alpha); }
}
