package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class BCEWithLogitsLoss extends WeightedLoss {
    public final Tensor posWeight;

    public BCEWithLogitsLoss() { this(null, null, "mean"); }

    public BCEWithLogitsLoss(String reduction) { this(null, null, reduction); }

    public BCEWithLogitsLoss(Tensor weight, Tensor posWeight, String reduction) {
        super(weight, reduction, "input", "target");
        this.posWeight = posWeight;
        registerBuffer("pos_weight", posWeight);
    }

    @Override
    protected Tensor loss(Tensor[] in) {
        return F.binaryCrossEntropyWithLogits(in[0], in[1], weight(), reduction, getBuffer("pos_weight"));
    }
}
