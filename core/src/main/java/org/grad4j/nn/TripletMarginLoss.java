package org.grad4j.nn;

import org.grad4j.Tensor;
import org.grad4j.nn.functional.F;

/**
 * {@code nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-06, swap=False, reduction='mean')}; call it as {@code loss.call(anchor, positive, negative)} or {@code loss.forward(anchor, positive, negative)}.
 */
public class TripletMarginLoss extends Module {
    public final double margin;
    public final double p;
    public final double eps;
    public final boolean swap;
    public final String reduction;

    public TripletMarginLoss() { this(1.0, 2.0, 1e-6, false, "mean"); }

    public TripletMarginLoss(String reduction) { this(1.0, 2.0, 1e-6, false, reduction); }

    public TripletMarginLoss(double margin, double p, double eps, boolean swap, String reduction) {
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
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
        if (in.length != 3) throw new IllegalArgumentException("TripletMarginLoss expects 3 inputs, got " + in.length);
        return F.tripletMarginLoss(in[0], in[1], in[2], margin, p, eps, swap, reduction);
    }

    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) { return forward(new Tensor[]{anchor, positive, negative}); }
}
