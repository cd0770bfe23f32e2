package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

import java.util.Arrays;

/**
 * Multiplies the rate by {@code gamma} at each milestone epoch ({@code MultiStepLR}); a milestone
 * listed twice applies gamma twice, as in PyTorch.
 *
 * <pre>{@code new MultiStepLR(opt, new int[]{30, 80}, 0.1);}</pre>
 */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super(optimizer, -1);
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        int count = 0;
        for (int m : milestones) if (m == lastEpoch) count++;
        double[] lrs = groupLrs();
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, count);
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0;
        for (int m : milestones) if (m <= lastEpoch) passed++;
        double[] out = baseLrs.clone();
        for (int i = 0; i < out.length; i++) out[i] *= Math.pow(gamma, passed);
        return out;
    }
}
