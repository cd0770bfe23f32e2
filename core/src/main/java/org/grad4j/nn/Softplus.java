package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.Softplus(beta=1.0, threshold=20.0)} as a module. */
public class Softplus extends Module {
    public final double beta;
    public final double threshold;

    public Softplus() { this(1.0, 20.0); }

    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) { return F.softplus(input, beta, threshold); }

    @Override
    protected String extraRepr() { return "beta=" + pyFloat(beta) + ", " + "threshold=" + pyFloat(threshold); }
}
