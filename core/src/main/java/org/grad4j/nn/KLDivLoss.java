package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.KLDivLoss(reduction='mean', log_target=False)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class KLDivLoss extends Loss {
    public final boolean logTarget;

    public KLDivLoss() { this(false, "mean"); }

    public KLDivLoss(String reduction) { this(false, reduction); }

    /** {@code reduction} may also be {@code 'batchmean'}, the mathematically correct KL divergence. */
    public KLDivLoss(boolean logTarget, String reduction) {
        super(reduction, true, "input", "target");
        this.logTarget = logTarget;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.klDiv(in[0], in[1], reduction, logTarget); }
}
