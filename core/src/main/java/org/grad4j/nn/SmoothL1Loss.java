package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.SmoothL1Loss(reduction='mean', beta=1.0)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class SmoothL1Loss extends Loss {
    public final double beta;

    public SmoothL1Loss() { this(1.0, "mean"); }

    public SmoothL1Loss(String reduction) { this(1.0, reduction); }

    public SmoothL1Loss(double beta, String reduction) {
        super(reduction, "input", "target");
        this.beta = beta;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.smoothL1Loss(in[0], in[1], reduction, beta); }
}
