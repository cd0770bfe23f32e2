package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-08, reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class PoissonNLLLoss extends Loss {
    public final boolean logInput;
    public final boolean full;
    public final double eps;

    public PoissonNLLLoss() { this(true, false, 1e-8, "mean"); }

    public PoissonNLLLoss(String reduction) { this(true, false, 1e-8, reduction); }

    public PoissonNLLLoss(boolean logInput, boolean full, double eps, String reduction) {
        super(reduction, "log_input", "target");
        this.logInput = logInput;
        this.full = full;
        this.eps = eps;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.poissonNllLoss(in[0], in[1], logInput, full, eps, reduction); }
}
