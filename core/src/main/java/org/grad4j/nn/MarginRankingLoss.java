package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.MarginRankingLoss(margin=0.0, reduction='mean')}; call it as {@code loss.call(input1, input2, target)} or {@code loss.forward(input1, input2, target)}.
 */
public class MarginRankingLoss extends Module {
    public final double margin;
    public final String reduction;

    public MarginRankingLoss() { this(0.0, "mean"); }

    public MarginRankingLoss(String reduction) { this(0.0, reduction); }

    public MarginRankingLoss(double margin, String reduction) {
        this.margin = margin;
        this.reduction = reduction;
        if (!reduction.equals("mean") && !reduction.equals("sum") && !reduction.equals("none")) {
            throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        }
    }

    /** A loss needs its target too: this fails with a clear message. */
    @Override
    public Tensor forward(Tensor input) { return forward(new Tensor[]{input}); }

    @Override
    public Tensor forward(Tensor... in) {
        if (in.length != 3) throw new IllegalArgumentException("MarginRankingLoss expects 3 inputs, got " + in.length);
        return F.marginRankingLoss(in[0], in[1], in[2], margin, reduction);
    }

    public Tensor forward(Tensor input1, Tensor input2, Tensor target) { return forward(new Tensor[]{input1, input2, target}); }
}
