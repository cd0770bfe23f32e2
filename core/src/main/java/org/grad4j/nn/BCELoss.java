package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.BCELoss(weight=None, reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class BCELoss extends WeightedLoss {
    public BCELoss() { this(null, "mean"); }

    public BCELoss(String reduction) { this(null, reduction); }

    public BCELoss(Tensor weight, String reduction) { super(weight, reduction, "input", "target"); }

    @Override
    protected Tensor loss(Tensor[] in) { return F.binaryCrossEntropy(in[0], in[1], weight(), reduction); }
}
