package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/** {@code nn.PairwiseDistance(p=2.0, eps=1e-06, keepdim=False)}. */
public class PairwiseDistance extends Module {
    public final double p, eps;
    public final boolean keepdim;

    public PairwiseDistance() { this(2.0, 1e-6, false); }

    public PairwiseDistance(double p, double eps, boolean keepdim) {
        this.p = p;
        this.eps = eps;
        this.keepdim = keepdim;
    }

    @Override
    public Tensor forward(Tensor... in) { return F.pairwiseDistance(in[0], in[1], p, eps, keepdim); }

    public Tensor forward(Tensor x1, Tensor x2) { return F.pairwiseDistance(x1, x2, p, eps, keepdim); }
}
