package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

/**
 * Decays the rate polynomially to 0 over {@code totalIters} steps ({@code PolynomialLR}):
 * {@code lr = base_lr * (1 - min(epoch, totalIters) / totalIters)^power}.
 *
 * <pre>{@code new PolynomialLR(opt, 50, 0.9);}</pre>
 */
public final class PolynomialLR extends LRScheduler {
    private final int totalIters;
    private final double power;

    public PolynomialLR(Optimizer optimizer, int totalIters, double power) {
        super(optimizer, -1);
        this.totalIters = totalIters;
        this.power = power;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (lastEpoch == 0 || lastEpoch > totalIters) return lrs;
        double f = Math.pow((1.0 - (double) lastEpoch / totalIters) / (1.0 - (double) (lastEpoch - 1) / totalIters), power);
        for (int i = 0; i < lrs.length; i++) lrs[i] *= f;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double f = Math.pow(1.0 - (double) Math.min(totalIters, lastEpoch) / totalIters, power);
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= f;
        return out;
    }
}
