package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-08, reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class PoissonNLLLoss extends Module {
    public final boolean logInput;
    public final boolean full;
    public final double eps;
    public final String reduction;

    public PoissonNLLLoss() { this(true, false, 1e-8, "mean"); }

    public PoissonNLLLoss(String reduction) { this(true, false, 1e-8, reduction); }

    public PoissonNLLLoss(boolean logInput, boolean full, double eps, String reduction) {
        this.logInput = logInput;
        this.full = full;
        this.eps = eps;
        this.reduction = reduction;
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }

    /** A loss needs its target too: this fails with a clear message. */
    @Override
    public Tensor forward(Tensor input) { return forward(new Tensor[]{input}); }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != 2) throw new IllegalArgumentException("PoissonNLLLoss expects 2 inputs, got " + in.length);
        return F.poissonNllLoss(in[0], in[1], logInput, full, eps, reduction);
    }

    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }
}
