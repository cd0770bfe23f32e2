package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.L1Loss(reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class L1Loss extends Loss {
    public L1Loss() { this("mean"); }

    public L1Loss(String reduction) { super(reduction, "input", "target"); }

    @Override
    protected Tensor loss(Tensor[] in) { return F.l1Loss(in[0], in[1], reduction); }
}
