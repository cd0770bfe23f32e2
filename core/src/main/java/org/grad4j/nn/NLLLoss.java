package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')}; call it as {@code loss.call(input, target)} or {@code loss.forward(input, target)}.
 */
public class NLLLoss extends Module {
    public final Tensor weight;
    public final long ignoreIndex;
    public final String reduction;

    public NLLLoss() { this(null, -100, "mean"); }

    public NLLLoss(String reduction) { this(null, -100, reduction); }

    public NLLLoss(Tensor weight, long ignoreIndex, String reduction) {
        this.weight = weight;
        this.ignoreIndex = ignoreIndex;
        this.reduction = reduction;
        if (weight != null) registerBuffer("weight", weight);
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }

    /** A loss needs its target too: this fails with a clear message. */
    @Override
    public Tensor forward(Tensor input) { return forward(new Tensor[]{input}); }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != 2) throw new IllegalArgumentException("NLLLoss expects 2 inputs, got " + in.length);
        return F.nllLoss(in[0], in[1], weight, ignoreIndex, reduction);
    }

    public Tensor forward(Tensor input, Tensor target) { return forward(new Tensor[]{input, target}); }
}
