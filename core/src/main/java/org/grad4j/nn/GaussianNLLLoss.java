package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.GaussianNLLLoss(full=False, eps=1e-06, reduction='mean')}; call it as {@code loss.call(input, target, var)} or {@code loss.forward(input, target, var)}.
 */
public class GaussianNLLLoss extends Module {
    public final boolean full;
    public final double eps;
    public final String reduction;

    public GaussianNLLLoss() { this(false, 1e-6, "mean"); }

    public GaussianNLLLoss(String reduction) { this(false, 1e-6, reduction); }

    public GaussianNLLLoss(boolean full, double eps, String reduction) {
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
        if (in.length != 3) throw new IllegalArgumentException("GaussianNLLLoss expects 3 inputs, got " + in.length);
        return F.gaussianNllLoss(in[0], in[1], in[2], full, eps, reduction);
    }

    public Tensor forward(Tensor input, Tensor target, Tensor var) { return forward(new Tensor[]{input, target, var}); }
}
