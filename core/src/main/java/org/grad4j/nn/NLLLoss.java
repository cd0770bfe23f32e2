package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class NLLLoss extends WeightedLoss {
    public final long ignoreIndex;

    public NLLLoss() { this(null, -100, "mean"); }

    public NLLLoss(String reduction) { this(null, -100, reduction); }

    public NLLLoss(Tensor weight, long ignoreIndex, String reduction) {
        super(weight, reduction, "input", "target");
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.nllLoss(in[0], in[1], weight(), ignoreIndex, reduction); }
}
