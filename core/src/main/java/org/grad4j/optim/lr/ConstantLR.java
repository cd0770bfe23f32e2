package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

/**
 * Multiplies the rate by a constant {@code factor} until {@code totalIters} is reached
 * ({@code ConstantLR}; PyTorch's defaults 1/3 and 5), e.g. as a warmup inside {@link SequentialLR}.
 *
 * <pre>{@code new ConstantLR(opt, 0.5, 4);   // lr * 0.5 for epochs 0-3, then lr}</pre>
 */
public final class ConstantLR extends LRScheduler {
    private final double factor;
    private final int totalIters;

    public ConstantLR(Optimizer optimizer, double factor, int totalIters) {
        super(optimizer, -1);
        if (factor > 1.0 || factor < 0) {
            throw new IllegalArgumentException("Constant multiplicative factor expected to be between 0 and 1.");
        }
        this.factor = factor;
        this.totalIters = totalIters;
        initialStep();
    }

    public ConstantLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 5); }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= factor;
        } else if (lastEpoch == totalIters) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= 1.0 / factor;
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double f = factor + (lastEpoch >= totalIters ? 1 - factor : 0);
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= f;
        return out;
    }
}
