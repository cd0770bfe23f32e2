package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.HuberLoss(reduction='mean', delta=1.0)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class HuberLoss extends Module {
    public final double delta;
    public final String reduction;

    public HuberLoss() { this(1.0, "mean"); }

    public HuberLoss(String reduction) { this(1.0, reduction); }

    public HuberLoss(double delta, String reduction) {
        this.delta = delta;
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
        if (in.length != 2) throw new IllegalArgumentException("HuberLoss expects 2 inputs, got " + in.length);
        return F.huberLoss(in[0], in[1], reduction, delta);
    }

    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }
}
