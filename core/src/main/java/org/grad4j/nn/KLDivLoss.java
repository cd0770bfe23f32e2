package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.KLDivLoss(reduction='mean', log_target=False)}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class KLDivLoss extends Module {
    public final boolean logTarget;
    public final String reduction;

    public KLDivLoss() { this(false, "mean"); }

    public KLDivLoss(String reduction) { this(false, reduction); }

    public KLDivLoss(boolean logTarget, String reduction) {
        this.logTarget = logTarget;
        this.reduction = reduction;
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none") && !reduction.equals("batchmean")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }

    /** A loss needs its target too: this fails with a clear message. */
    @Override
    public Tensor forward(Tensor input) { return forward(new Tensor[]{input}); }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != 2) throw new IllegalArgumentException("KLDivLoss expects 2 inputs, got " + in.length);
        return F.klDiv(in[0], in[1], reduction, logTarget);
    }

    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }
}
