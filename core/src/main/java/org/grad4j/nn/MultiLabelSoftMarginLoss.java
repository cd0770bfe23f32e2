package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.MultiLabelSoftMarginLoss(weight=None, reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class MultiLabelSoftMarginLoss extends WeightedLoss {
    public MultiLabelSoftMarginLoss() { this(null, "mean"); }

    public MultiLabelSoftMarginLoss(String reduction) { this(null, reduction); }

    public MultiLabelSoftMarginLoss(Tensor weight, String reduction) { super(weight, reduction, "input", "target"); }

    @Override
    protected Tensor loss(Tensor[] in) { return F.multilabelSoftMarginLoss(in[0], in[1], weight(), reduction); }
}
