package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.SoftMarginLoss(reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class SoftMarginLoss extends Loss {
    public SoftMarginLoss() { this("mean"); }

    public SoftMarginLoss(String reduction) { super(reduction, "input", "target"); }

    @Override
    protected Tensor loss(Tensor[] in) { return F.softMarginLoss(in[0], in[1], reduction); }
}
