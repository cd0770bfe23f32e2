package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.MSELoss(reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class MSELoss extends Loss {
    public MSELoss() { this("mean"); }

    public MSELoss(String reduction) { super(reduction, "input", "target"); }

    @Override
    protected Tensor loss(Tensor[] in) { return F.mseLoss(in[0], in[1], reduction); }
}
