package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.HuberLoss(reduction='mean', delta=1.0)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class HuberLoss extends Loss {
    public final double delta;

    public HuberLoss() { this(1.0, "mean"); }

    public HuberLoss(String reduction) { this(1.0, reduction); }

    public HuberLoss(double delta, String reduction) {
        super(reduction, "input", "target");
        this.delta = delta;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.huberLoss(in[0], in[1], reduction, delta); }
}
