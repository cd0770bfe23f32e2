package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

/**
 * Multiplies the rate by {@code gamma} every epoch ({@code ExponentialLR}).
 *
 * <pre>{@code new ExponentialLR(opt, 0.9);}</pre>
 */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer, -1);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (lastEpoch == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= Math.pow(gamma, lastEpoch);
        return out;
    }
}
