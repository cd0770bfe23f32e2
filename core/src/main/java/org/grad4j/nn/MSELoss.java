package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.MSELoss(reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class MSELoss extends Module {
    public final String reduction;

    public MSELoss() { this("mean"); }

    public MSELoss(String reduction) {
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
        if (in.length != 2) throw new IllegalArgumentException("MSELoss expects 2 inputs, got " + in.length);
        return F.mseLoss(in[0], in[1], reduction);
    }

    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }
}
