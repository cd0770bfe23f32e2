package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class BCEWithLogitsLoss extends Module {
    public final Tensor weight;
    public final Tensor posWeight;
    public final String reduction;

    public BCEWithLogitsLoss() { this(null, null, "mean"); }

    public BCEWithLogitsLoss(String reduction) { this(null, null, reduction); }

    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, String reduction) {
        this.weight = weight;
        this.posWeight = posWeight;
        this.reduction = reduction;
        if (weight != null) registerBuffer("weight", weight);
        if (posWeight != null) registerBuffer("pos_weight", posWeight);
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }

    /** A loss needs its target too: this fails with a clear message. */
    @Override
    public Tensor forward(Tensor input) { return forward(new Tensor[]{input}); }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != 2) throw new IllegalArgumentException("BCEWithLogitsLoss expects 2 inputs, got " + in.length);
        return F.binaryCrossEntropyWithLogits(in[0], in[1], weight, reduction, posWeight);
    }

    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }
}
