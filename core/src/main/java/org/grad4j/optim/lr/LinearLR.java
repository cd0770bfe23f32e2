package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

/**
 * Scales the rate by a factor moving linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} steps ({@code LinearLR}; PyTorch's defaults 1/3, 1.0, 5), e.g. for warmup.
 *
 * <pre>{@code new LinearLR(opt, 0.1, 1.0, 5);}</pre>
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor, endFactor;
    private final int totalIters;

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer, -1);
        if (startFactor > 1.0 || startFactor <= 0) {
            throw new IllegalArgumentException("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
        }
        if (endFactor > 1.0 || endFactor < 0) {
            throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    public LinearLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 1.0, 5); }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= startFactor;
            return lrs;
        }
        if (lastEpoch > totalIters) return lrs;
        double f = 1 + (endFactor - startFactor) / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lrs.length; i++) lrs[i] *= f;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double f = startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= f;
        return out;
    }
}
