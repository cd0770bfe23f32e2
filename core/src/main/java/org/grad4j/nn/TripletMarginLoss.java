package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-06, swap=False, reduction='mean')}; call it as {@code loss.call(anchor, positive, negative)} or {@code loss.forward(anchor, positive, negative)}.
 */
public class TripletMarginLoss extends Loss {
    public final double margin;
    public final double p;
    public final double eps;
    public final boolean swap;

    public TripletMarginLoss() { this(1.0, 2.0, 1e-6, false, "mean"); }

    public TripletMarginLoss(String reduction) { this(1.0, 2.0, 1e-6, false, reduction); }

    public TripletMarginLoss(double margin, double p, double eps, boolean swap, String reduction) {
        super(reduction, "anchor", "positive", "negative");
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
    }

    @Override
    protected Tensor loss(Tensor[] in) { return F.tripletMarginLoss(in[0], in[1], in[2], margin, p, eps, swap, reduction); }
}
