package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.GaussianNLLLoss(full=False, eps=1e-06, reduction='mean')}; call it as {@code loss.call(input, target, var)} or {@code loss.forward(input, target, var)}.
 */
public class GaussianNLLLoss extends Loss {
    public final boolean full;
    public final double eps;

    public GaussianNLLLoss() { this(false, 1e-6, "mean"); }

    public GaussianNLLLoss(String reduction) { this(false, 1e-6, reduction); }

    public GaussianNLLLoss(boolean full, double eps, String reduction) {
        super(reduction, "input", "target", "var");
        this.full = full;
        this.eps = eps;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.gaussianNllLoss(in[0], in[1], in[2], full, eps, reduction); }
}
