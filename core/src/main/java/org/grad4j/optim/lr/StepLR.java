package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

/**
 * Multiplies the rate by {@code gamma} every {@code stepSize} epochs ({@code torch.optim.lr_scheduler.StepLR}):
 * {@code lr = base_lr * gamma^(epoch / stepSize)}.
 *
 * <pre>{@code new StepLR(opt, 30, 0.1); // 0.05 for epochs 0-29, 0.005 for 30-59, ...}</pre>
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer, -1);
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    public StepLR(Optimizer optimizer, int stepSize) { this(optimizer, stepSize, 0.1); }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return out;
    }
}
