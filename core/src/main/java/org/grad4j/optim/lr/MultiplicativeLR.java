package org.grad4j.optim.lr;

import org.grad4j.optim.Optimizer;

import java.util.function.IntToDoubleFunction;

/**
 * Multiplies the current rate by {@code lambda(epoch)} at every step ({@code MultiplicativeLR}).
 *
 * <pre>{@code new MultiplicativeLR(opt, epoch -> 0.95);}</pre>
 */
public final class MultiplicativeLR extends LRScheduler {
    private final IntToDoubleFunction lambda;

    public MultiplicativeLR(Optimizer optimizer, IntToDoubleFunction lambda) {
        super(optimizer, -1);
        this.lambda = lambda;
        initialStep();
    }

    @Override
    protected double[] getLr() {
        double[] lrs = groupLrs();
        if (lastEpoch > 0) for (int i = 0; i < lrs.length; i++) lrs[i] *= lambda.applyAsDouble(lastEpoch);
        return lrs;
    }
}
