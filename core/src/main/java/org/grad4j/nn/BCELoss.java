package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.BCELoss(weight=None, reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class BCELoss extends Module {
    public final Tensor weight;
    public final String reduction;

    public BCELoss() { this(null, "mean"); }

    public BCELoss(String reduction) { this(null, reduction); }

    public BCELoss(Tensor weight, String reduction) {
        this.weight = weight;
        this.reduction = reduction;
        if (weight != null) registerBuffer("weight", weight);
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }

    /** A loss needs its target too: this fails with a clear message. */
    @Override
    public Tensor forward(Tensor input) { return forward(new Tensor[]{input}); }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != 2) throw new IllegalArgumentException("BCELoss expects 2 inputs, got " + in.length);
        return F.binaryCrossEntropy(in[0], in[1], weight, reduction);
    }

    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }
}
