package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.SmoothL1Loss(reduction='mean', beta=1.0)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class SmoothL1Loss extends Module {
    public final double beta;
    public final String reduction;

    public SmoothL1Loss() { this(1.0, "mean"); }

    public SmoothL1Loss(String reduction) { this(1.0, reduction); }

    public SmoothL1Loss(double beta, String reduction) {
        this.beta = beta;
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
        if (in.length != 2) throw new IllegalArgumentException("SmoothL1Loss expects 2 inputs, got " + in.length);
        return F.smoothL1Loss(in[0], in[1], reduction, beta);
    }

    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }
}
